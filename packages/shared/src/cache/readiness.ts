import type { EventEmitter } from 'node:events';

/** How long a client has been unable to serve commands (0 while it is ready). */
export interface Readiness {
  downForMs(): number;
}

/**
 * Follows an ioredis client's connection state. A Cluster that cannot be reached keeps commands in
 * its offline queue forever, so callers (the API falling back to PostgreSQL, readiness probes)
 * would hang; knowing how long it has been down lets commands fail at once instead.
 */
export function trackReadiness(
  client: EventEmitter & { status: string },
  now: () => number = Date.now,
): Readiness {
  let notReadySince: number | undefined = client.status === 'ready' ? undefined : now();
  const down = () => {
    notReadySince ??= now();
  };
  client.on('ready', () => {
    notReadySince = undefined;
  });
  for (const event of ['close', 'reconnecting', 'end']) client.on(event, down);
  return { downForMs: () => (notReadySince === undefined ? 0 : now() - notReadySince) };
}

/** Rejects with `message` when `promise` has not settled within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
