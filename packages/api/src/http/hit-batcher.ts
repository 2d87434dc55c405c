import type { Cache, WindowHit } from '@nostr-info/shared/cache';
import { TimeoutError } from '../timeout.js';

interface Waiter {
  resolve(hit: WindowHit): void;
  reject(err: unknown): void;
}

/** What this process knows of one key's window. */
interface KeyState {
  /** Next position of the lease to hand out, and the lease's last one (none when next > end). */
  next: number;
  end: number;
  resetAt: number;
  /** Extra hits asked for with the last round trip, and when it was sent. */
  extra: number;
  lastTripAt: number;
  /** Round trips in flight; a lease in flight holds new batches back (see `flush`). */
  inFlight: number;
  leaseInFlight: boolean;
  /** A hit arrived while a round trip was in flight since the last one was sent: requests overlap. */
  busy: boolean;
  /** Hits waiting to be sent. */
  waiting: Waiter[];
}

/** Counts hits on fixed-window counters in the cache; see `createHitBatcher`. */
export interface HitBatcher {
  /** One hit on `key`: this hit's own position in the window (at once when a lease covers it). */
  hit(key: string): WindowHit | Promise<WindowHit>;
}

export interface HitBatcherOptions {
  cache: Cache;
  windowSeconds: number;
  /** The budget per window: leases are sized from it, and a key past it is answered locally. */
  limit: number;
  /** A store slower than this fails every hit of the batch with `TimeoutError`. */
  timeoutMs: number;
  /** Round trips of one key in flight at once (default 2). */
  maxInFlight?: number;
  /** A key hit again within this long after its last round trip gets a growing lease (ms). */
  growMs?: number;
}

/**
 * Numbers the hits of fixed-window counters held in the cache, as `INCR` per hit would, with far
 * fewer round trips:
 * - hits of one key in one event-loop turn share one `INCRBY n` (a batch); its answer `count`
 *   numbers them `count - n + 1 … count` in arrival order;
 * - a busy key (several hits in one batch, or a hit arriving while a round trip is in flight),
 *   hit again soon after its last round trip, asks for a few more hits than it has waiting (a
 *   lease: 1, 2, 4, … up to `limit / 16`, at most 64); the next hits take their positions from the lease without a round trip, until it is used up or the
 *   window ends;
 * - once a position past `limit` has been handed out, every later hit of the window is past it
 *   too (the counter only grows), so it is answered without asking.
 * Every position comes from the shared counter, so the replicas never allow more than the
 * budget together. Leased positions a process does not use stay spent: a client that sends
 * many requests at once to two replicas and then stops may lose up to one lease per replica;
 * one that sends one request at a time (each after the previous answer), or slowly, gets no
 * lease, hence every position. A busy client's hits spread over many turns (a server busy
 * writing large bodies reads few requests per turn) still get leases: without them each such
 * turn would cost a round trip.
 */
export function createHitBatcher({
  cache,
  windowSeconds,
  limit,
  timeoutMs,
  maxInFlight = 2,
  growMs = 50,
}: HitBatcherOptions): HitBatcher {
  const leaseCap = Math.min(64, Math.floor(limit / 16));
  const states = new Map<string, KeyState>();
  const ready: string[] = [];
  let scheduled = false;

  // Windows that ended are forgotten, so the map holds about the clients of one window.
  const sweeper = setInterval(
    () => {
      const now = Date.now();
      for (const [key, s] of states) if (s.resetAt <= now && s.inFlight === 0) states.delete(key);
    },
    Math.min(10_000, windowSeconds * 1000),
  );
  sweeper.unref();

  /** Hands out the next leased position, if the lease still covers one in this window. */
  const fromLease = (s: KeyState, now: number): WindowHit | undefined => {
    if (now >= s.resetAt) return undefined;
    if (s.end > limit) return { count: Math.max(s.next, s.end + 1), resetMs: s.resetAt - now };
    if (s.next > s.end) return undefined;
    return { count: s.next++, resetMs: s.resetAt - now };
  };

  const send = (key: string, s: KeyState): void => {
    const waiters = s.waiting;
    s.waiting = [];
    const now = Date.now();
    // Leases go only to a client with overlapping hits, again soon after its last trip: one
    // request at a time never strands a position. A slow client starts over with no lease. A
    // batch is never sent beside a lease in flight (see `flush`), so at most one lease is pending
    // and a trip without one in flight beside it takes nothing from it: its positions all come
    // before the lease's (one connection answers in order) and go to its own waiters.
    const quick = now - s.lastTripAt < growMs;
    if (!quick) s.extra = 0;
    const busy = s.busy || waiters.length > 1;
    s.busy = false;
    const extra = leaseCap > 0 && quick && busy ? Math.min(leaseCap, Math.max(1, s.extra * 2)) : 0;
    if (extra > 0) s.extra = extra;
    s.lastTripAt = now;
    s.inFlight++;
    if (extra > 0) s.leaseInFlight = true;
    const n = waiters.length;
    let settled = false;
    const finish = () => {
      settled = true;
      s.inFlight--;
      if (extra > 0) s.leaseInFlight = false;
      if (s.waiting.length > 0) queue(key);
    };
    const timer = setTimeout(() => {
      const err = new TimeoutError(`rate-limit store took longer than ${timeoutMs} ms`);
      for (const w of waiters) w.reject(err);
      finish();
    }, timeoutMs);
    cache.hitWindow(key, windowSeconds, n + extra).then(
      ({ count, resetMs }) => {
        if (settled) return;
        clearTimeout(timer);
        const first = count - n - extra + 1;
        const at = Date.now();
        s.resetAt = at + resetMs;
        for (let i = 0; i < n; i++) waiters[i]?.resolve({ count: first + i, resetMs });
        if (extra > 0) {
          s.next = count - extra + 1;
          s.end = count;
        } else if (count > limit) {
          s.end = Math.max(s.end, count);
        }
        // Hits held back while this lease was in flight take its positions first.
        const held = s.waiting;
        let i = 0;
        for (; i < held.length; i++) {
          const hit = fromLease(s, at);
          if (!hit) break;
          held[i]?.resolve(hit);
        }
        s.waiting = held.slice(i);
        finish();
      },
      (err: unknown) => {
        if (settled) return;
        clearTimeout(timer);
        for (const w of waiters) w.reject(err);
        finish();
      },
    );
  };

  const queue = (key: string): void => {
    ready.push(key);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };

  /** End of the event-loop turn: one batch per key, unless that key must wait for a reply. */
  const flush = (): void => {
    scheduled = false;
    const keys = ready.splice(0);
    for (const key of keys) {
      const s = states.get(key);
      if (!s || s.waiting.length === 0 || s.leaseInFlight || s.inFlight >= maxInFlight) continue;
      send(key, s);
    }
  };

  return {
    hit(key) {
      const now = Date.now();
      let s = states.get(key);
      if (s && s.resetAt <= now && s.inFlight === 0) {
        // The window ended: no lease or limit carries over.
        s.next = 1;
        s.end = 0;
      }
      if (s) {
        const hit = fromLease(s, now);
        if (hit) return hit;
      } else {
        s = {
          next: 1,
          end: 0,
          resetAt: 0,
          extra: 0,
          lastTripAt: 0,
          inFlight: 0,
          leaseInFlight: false,
          busy: false,
          waiting: [],
        };
        states.set(key, s);
      }
      const state = s;
      if (state.inFlight > 0) state.busy = true;
      return new Promise<WindowHit>((resolve, reject) => {
        state.waiting.push({ resolve, reject });
        if (state.waiting.length === 1) queue(key);
      });
    },
  };
}
