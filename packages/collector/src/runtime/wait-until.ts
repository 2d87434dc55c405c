import { setTimeout as sleep } from 'node:timers/promises';

/** How long `waitUntil` waits at most and how often it looks again. */
export interface WaitUntilOptions {
  timeoutMs: number;
  intervalMs: number;
}

/**
 * Checks `predicate` every `intervalMs` until it holds or `timeoutMs` has passed; resolves whether
 * it held. For conditions nothing announces (a counter of pending answers reaching zero).
 */
export async function waitUntil(
  predicate: () => boolean,
  { timeoutMs, intervalMs }: WaitUntilOptions,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
  return true;
}
