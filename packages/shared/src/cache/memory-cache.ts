import type { Logger } from '../log/logger.js';
import type { Cache, MessageHandler, SlotClaim, WindowHit } from './cache.js';

interface Entry {
  value: string;
  expiresAt: number;
}

export interface MemoryCacheOptions {
  /** Upper bound on stored keys; the oldest are evicted first (insertion order). */
  maxKeys?: number;
  /** How often expired keys are swept. */
  sweepIntervalMs?: number;
  now?: () => number;
  /** Where a failing subscriber's error is reported. */
  logger?: Logger;
}

/** In-process cache for the all-in-one mode: same semantics as Redis, within one process. */
export function createMemoryCache({
  maxKeys = 1_000_000,
  sweepIntervalMs = 30_000,
  now = Date.now,
  logger,
}: MemoryCacheOptions = {}): Cache {
  const entries = new Map<string, Entry>();
  const channels = new Map<string, Set<MessageHandler>>();
  /** Slot semaphores: key → holder → expiry (ms). */
  const slots = new Map<string, Map<string, number>>();
  let closed = false;

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const store = (key: string, value: string, ttlSeconds?: number) => {
    entries.delete(key);
    if (entries.size >= maxKeys) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    entries.set(key, { value, expiresAt: ttlSeconds ? now() + ttlSeconds * 1000 : Number.POSITIVE_INFINITY });
  };
  const sweep = setInterval(() => {
    const t = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= t) entries.delete(key);
    for (const key of [...slots.keys()]) liveSlots(key);
  }, sweepIntervalMs);
  sweep.unref();

  /** The holders of `key` whose slots have not lapsed (lapsed ones are removed). */
  const liveSlots = (key: string): Map<string, number> => {
    const holders = slots.get(key) ?? new Map<string, number>();
    const t = now();
    for (const [holder, expiresAt] of holders) if (expiresAt <= t) holders.delete(holder);
    if (holders.size === 0) slots.delete(key);
    return holders;
  };

  const setIfAbsentSync = (key: string, value: string, ttlSeconds: number) => {
    if (live(key)) return false;
    store(key, value, ttlSeconds);
    return true;
  };

  return {
    kind: 'memory',
    get: async (key) => live(key)?.value ?? null,
    set: async (key, value, ttlSeconds) => store(key, value, ttlSeconds),
    del: async (key) => {
      entries.delete(key);
    },
    setIfAbsent: async (key, value, ttlSeconds) => setIfAbsentSync(key, value, ttlSeconds),
    claim: async (key, value, ttlSeconds) => {
      const entry = live(key);
      if (entry) return entry.value;
      store(key, value, ttlSeconds);
      return null;
    },
    replaceIf: async (key, expected, value, ttlSeconds) => {
      if (live(key)?.value !== expected) return false;
      store(key, value, ttlSeconds);
      return true;
    },
    setManyIfAbsent: async (keys, ttlSeconds) => keys.map((key) => setIfAbsentSync(key, '1', ttlSeconds)),
    hitWindow: async (key, windowSeconds, hits = 1): Promise<WindowHit> => {
      const entry = live(key);
      if (!entry) {
        store(key, String(hits), windowSeconds);
        return { count: hits, resetMs: windowSeconds * 1000 };
      }
      const count = Number(entry.value) + hits;
      entry.value = String(count);
      // A counter without expiry (stored by a plain set) gets one, as the Redis script does.
      if (entry.expiresAt === Number.POSITIVE_INFINITY) entry.expiresAt = now() + windowSeconds * 1000;
      return { count, resetMs: Math.max(0, entry.expiresAt - now()) };
    },
    acquireSlot: async (key, holder, limit, ttlMs): Promise<SlotClaim> => {
      const holders = liveSlots(key);
      if (!holders.has(holder) && holders.size >= limit) return { acquired: false, held: holders.size };
      holders.set(holder, now() + ttlMs);
      slots.set(key, holders);
      return { acquired: true, held: holders.size };
    },
    renewSlots: async (key, renewed, ttlMs) => {
      if (renewed.length === 0) return;
      const holders = liveSlots(key);
      for (const holder of renewed) holders.set(holder, now() + ttlMs);
      slots.set(key, holders);
    },
    releaseSlot: async (key, holder) => {
      const holders = slots.get(key);
      holders?.delete(holder);
      if (holders?.size === 0) slots.delete(key);
    },
    publish: async (channel, message) => {
      // Deliver asynchronously, as Redis does; one failing handler must not starve the others.
      const handlers = channels.get(channel);
      if (!handlers) return;
      for (const handler of [...handlers]) {
        queueMicrotask(() => {
          try {
            handler(message);
          } catch (err) {
            logger?.error({ err, channel }, 'cache message handler failed');
          }
        });
      }
    },
    subscribe: async (channel, handler: MessageHandler) => {
      let handlers = channels.get(channel);
      if (!handlers) {
        handlers = new Set();
        channels.set(channel, handlers);
      }
      handlers.add(handler);
      return async () => {
        handlers.delete(handler);
        if (handlers.size === 0 && channels.get(channel) === handlers) channels.delete(channel);
      };
    },
    memoryInfo: async () => null,
    ping: async () => !closed,
    close: async () => {
      closed = true;
      clearInterval(sweep);
      channels.clear();
      entries.clear();
      slots.clear();
    },
  };
}
