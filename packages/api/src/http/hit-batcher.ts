import type { Cache, WindowHit } from '@nostr-info/shared';
import { TimeoutError } from '../timeout.js';

interface Waiter {
  resolve(hit: WindowHit): void;
  reject(err: unknown): void;
}

/** Counts hits on fixed-window counters in the cache; see `createHitBatcher`. */
export interface HitBatcher {
  /** One hit on `key`: resolves with this hit's own position in the window. */
  hit(key: string): Promise<WindowHit>;
}

export interface HitBatcherOptions {
  cache: Cache;
  windowSeconds: number;
  /** A store slower than this fails every hit of the batch with `TimeoutError`. */
  timeoutMs: number;
}

/**
 * Coalesces the hits one key gets while this process is busy into one `INCRBY n` round trip.
 * Hits that arrive in the same event-loop turn, or while a round trip of that key is in flight,
 * join one batch; the batch's answer `count` numbers its hits `count - n + 1 … count`, in
 * arrival order, exactly as n separate increments would have. So every replica still spends one
 * shared budget and nothing is reserved ahead: the sum of allowed hits never exceeds the
 * budget, and a client's hits on several replicas never waste any of it. A client with one
 * request at a time costs one round trip per request, as before; one with many requests in
 * flight costs about one per event-loop turn.
 */
export function createHitBatcher({ cache, windowSeconds, timeoutMs }: HitBatcherOptions): HitBatcher {
  /** Hits waiting to be sent, per key. */
  const pending = new Map<string, Waiter[]>();
  /** Keys with a round trip in flight: their next batch is sent when it returns. */
  const inFlight = new Set<string>();
  let scheduled = false;

  const send = (key: string, waiters: Waiter[]): void => {
    inFlight.add(key);
    const n = waiters.length;
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      const err = new TimeoutError(`rate-limit store took longer than ${timeoutMs} ms`);
      for (const w of waiters) w.reject(err);
      done(key);
    }, timeoutMs);
    cache.hitWindow(key, windowSeconds, n).then(
      ({ count, resetMs }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const first = count - n + 1;
        for (let i = 0; i < n; i++) waiters[i]?.resolve({ count: first + i, resetMs });
        done(key);
      },
      (err: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        for (const w of waiters) w.reject(err);
        done(key);
      },
    );
  };

  /** A round trip of `key` ended: what queued meanwhile goes now. */
  const done = (key: string): void => {
    inFlight.delete(key);
    const waiters = pending.get(key);
    if (waiters) {
      pending.delete(key);
      send(key, waiters);
    }
  };

  /** End of the event-loop turn: send every key that has no round trip in flight. */
  const flush = (): void => {
    scheduled = false;
    for (const [key, waiters] of pending) {
      if (inFlight.has(key)) continue;
      pending.delete(key);
      send(key, waiters);
    }
  };

  return {
    hit(key) {
      return new Promise<WindowHit>((resolve, reject) => {
        const waiters = pending.get(key);
        if (waiters) waiters.push({ resolve, reject });
        else pending.set(key, [{ resolve, reject }]);
        if (!scheduled && !inFlight.has(key)) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}
