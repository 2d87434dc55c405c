import { randomUUID } from 'node:crypto';
import type { Cache } from '@nostr-info/shared/cache';
import type { Logger } from '@nostr-info/shared/log';

export interface StreamSlotsOptions {
  cache: Cache;
  logger: Logger;
  /** Open streams allowed per client IP, summed over every API replica. */
  maxPerClient: number;
  /** A slot not renewed for this long lapses (a replica that died gives its slots back). */
  ttlMs?: number;
  /** How often this process renews the slots of its open streams. */
  renewMs?: number;
}

/** Per-client stream slots shared by every API replica through the cache. */
export interface StreamSlots {
  /** Takes a slot for a new stream of `ip`; undefined when the client is at its cap. */
  acquire(ip: string): Promise<string | undefined>;
  /** Gives the slot back (the stream ended). */
  release(ip: string, slot: string): void;
  /** Stops renewing and gives every slot back. */
  close(): Promise<void>;
}

const keyOf = (ip: string) => `sse:slots:${ip}`;

/**
 * The cap is a counting semaphore in the cache (`Cache.acquireSlot`), one per client IP: atomic
 * on Redis and Redis Cluster, so concurrent opens at several replicas never exceed it. A local
 * count is checked first, so a client at its cap costs no round trip here. When the cache is
 * away, the cap holds per process only; renewing puts the slots back once it returns.
 */
export function createStreamSlots({
  cache,
  logger,
  maxPerClient,
  ttlMs = 30_000,
  renewMs = Math.max(50, Math.floor(ttlMs / 3)),
}: StreamSlotsOptions): StreamSlots {
  /** Slots this process holds, per IP. */
  const held = new Map<string, Set<string>>();
  /** Releases in flight, which `close` waits for (shutdown gives the slots back at once). */
  const releasing = new Set<Promise<void>>();
  /** Acquisitions in flight per IP, so concurrent opens see each other locally. */
  const pending = new Map<string, number>();
  let warned = false;
  const warn = (err: unknown, what: string) => {
    // One line per outage, not one per stream.
    if (warned) return;
    warned = true;
    logger.warn({ err }, `stream slots: ${what} failed; capping per process until the cache answers`);
  };
  const bump = (ip: string, by: number) => {
    const n = (pending.get(ip) ?? 0) + by;
    if (n <= 0) pending.delete(ip);
    else pending.set(ip, n);
  };

  const renew = async () => {
    const work = [...held].map(([ip, slots]) => cache.renewSlots(keyOf(ip), [...slots], ttlMs));
    const results = await Promise.allSettled(work);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) warn(failed.reason, 'renewing');
    else warned = false;
  };
  const timer = setInterval(() => void renew(), renewMs);
  timer.unref();

  return {
    async acquire(ip) {
      const local = (held.get(ip)?.size ?? 0) + (pending.get(ip) ?? 0);
      if (local >= maxPerClient) return undefined;
      bump(ip, 1);
      try {
        const slot = randomUUID();
        try {
          const claim = await cache.acquireSlot(keyOf(ip), slot, maxPerClient, ttlMs);
          if (!claim.acquired) return undefined;
        } catch (err) {
          warn(err, 'acquiring');
        }
        let mine = held.get(ip);
        if (!mine) {
          mine = new Set();
          held.set(ip, mine);
        }
        mine.add(slot);
        return slot;
      } finally {
        bump(ip, -1);
      }
    },
    release(ip, slot) {
      const mine = held.get(ip);
      if (!mine?.delete(slot)) return;
      if (mine.size === 0) held.delete(ip);
      const done = cache
        .releaseSlot(keyOf(ip), slot)
        .catch((err: unknown) => warn(err, 'releasing'))
        .finally(() => releasing.delete(done));
      releasing.add(done);
    },
    async close() {
      clearInterval(timer);
      const all = [...held].flatMap(([ip, slots]) => [...slots].map((slot) => ({ ip, slot })));
      held.clear();
      await Promise.allSettled([
        ...releasing,
        ...all.map(({ ip, slot }) => cache.releaseSlot(keyOf(ip), slot)),
      ]);
    },
  };
}
