/** Which implementation backs a `Cache`. */
export type CacheKind = 'redis' | 'cluster' | 'memory';

/** Result of one hit on a fixed-window counter. */
export interface WindowHit {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

/** Result of `acquireSlot`. */
export interface SlotClaim {
  /** True when `holder` has a slot now (taken by this call or held already). */
  acquired: boolean;
  /** Live slots under the key after this call. */
  held: number;
}

export type MessageHandler = (message: string) => void;

/**
 * The one cache interface, backed by Redis, Redis Cluster or process memory (chosen by env, see
 * `createCache`). Keys are given without the configured prefix; implementations add it.
 */
export interface Cache {
  readonly kind: CacheKind;
  get(key: string): Promise<string | null>;
  /** Stores `value`; with `ttlSeconds` it expires. */
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  del(key: string): Promise<void>;
  /** SET NX EX: true when this call stored the key (first writer wins). */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /**
   * SET NX EX GET (Redis 7): stores `value` when the key is absent and answers null; otherwise
   * leaves it and answers the value already there (who claimed it first).
   */
  claim(key: string, value: string, ttlSeconds: number): Promise<string | null>;
  /** Replaces the key's value only while it is still `expected` (compare-and-set); true when it did. */
  replaceIf(key: string, expected: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** `setIfAbsent` for many keys at once, answers in order (pipelined on Redis). */
  setManyIfAbsent(keys: readonly string[], ttlSeconds: number): Promise<boolean[]>;
  /**
   * Increments a fixed window counter that starts with the first hit (rate limiting); `hits` > 1
   * counts several hits in one step (`count` is then the total after all of them).
   */
  hitWindow(key: string, windowSeconds: number, hits?: number): Promise<WindowHit>;
  /**
   * Counting semaphore shared by every process: takes one of `limit` slots under `key` for
   * `holder`. Each slot lapses `ttlMs` after it was taken or last renewed, so the slots of a
   * process that died come back by themselves; time is the backend's clock.
   */
  acquireSlot(key: string, holder: string, limit: number, ttlMs: number): Promise<SlotClaim>;
  /**
   * Extends the slots of `holders` under `key` to `ttlMs` from now. A slot that lapsed (the cache
   * was away or restarted) is taken again even past the limit: its stream is still open.
   */
  renewSlots(key: string, holders: readonly string[], ttlMs: number): Promise<void>;
  /** Gives a slot back at once. */
  releaseSlot(key: string, holder: string): Promise<void>;
  /**
   * Publishes to every subscriber of `channel` on every process. Delivery is at most once and
   * unordered across messages on Redis Cluster (each PUBLISH may enter at a different node).
   */
  publish(channel: string, message: string): Promise<void>;
  /** Subscribes; resolves once the subscription is active. Returns the unsubscribe function. */
  subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>>;
  /** Memory in use and its limit (0 = none) on the backend, summed over cluster masters; null in process. */
  memoryInfo(): Promise<{ usedBytes: number; maxBytes: number } | null>;
  /** True when the backend answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Raised when the cache backend cannot be reached or answers with an error; `cause` has the reason. */
export class CacheError extends Error {
  override readonly name = 'CacheError';
}
