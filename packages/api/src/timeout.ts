/** Raised when a backend call takes longer than the caller can wait. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** Rejects with `TimeoutError` when `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} took longer than ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves with `fallback` when `promise` has not settled within `ms` (never rejects on time). */
export function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  return withTimeout(promise, ms, 'call').catch((err: unknown) => {
    if (err instanceof TimeoutError) return fallback;
    throw err;
  });
}
