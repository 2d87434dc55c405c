/** Options of `HostRateLimit`. */
export interface HostRateLimitOptions {
  /** Tokens added per second, per host. */
  perSecond?: number;
  /** Most tokens a host can save up (the burst). */
  burst?: number;
  /** Hosts tracked at once; the least recently used is forgotten past it (it starts full again). */
  maxHosts?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per host: a burst of `burst` requests, then `perSecond`. Bounded: past
 * `maxHosts` the least recently used host is forgotten, which only ever lets it start full again.
 */
export class HostRateLimit {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly burst: number;
  private readonly maxHosts: number;
  private readonly now: () => number;

  constructor({ perSecond = 5, burst = 10, maxHosts = 10_000, now = Date.now }: HostRateLimitOptions = {}) {
    this.perMs = perSecond / 1000;
    this.burst = burst;
    this.maxHosts = maxHosts;
    this.now = now;
  }

  /**
   * Takes a token for `host` when one is there (0), else reserves the next one and returns how
   * many ms to wait for it; `maxWaitMs` below that wait takes nothing and returns -1.
   */
  take(host: string, maxWaitMs = Number.POSITIVE_INFINITY): number {
    const now = this.now();
    let bucket = this.buckets.get(host);
    if (bucket) this.buckets.delete(host);
    else bucket = { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    this.buckets.set(host, bucket);
    if (this.buckets.size > this.maxHosts) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    const waitMs = Math.ceil((1 - bucket.tokens) / this.perMs);
    if (waitMs > maxWaitMs) return -1;
    // Reserved: the bucket goes negative, so the next caller waits behind this one.
    bucket.tokens -= 1;
    return waitMs;
  }
}
