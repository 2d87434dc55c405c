/** Resolves once `ok()` holds, checking every `intervalMs`; rejects after `timeoutMs`. */
export async function pollUntil(
  ok: () => boolean,
  timeoutMs: number,
  what: string,
  intervalMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`relay-sim: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
