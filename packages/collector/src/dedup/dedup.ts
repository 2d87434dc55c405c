import { randomUUID } from 'node:crypto';
import type { Cache } from '@nostr-info/shared';

export interface NetworkDedupOptions {
  cache: Cache;
  ttlSeconds: number;
  /** Ids per Redis pipeline. */
  batchSize?: number;
  /** Called when the cache fails; the failed claims are retried together after `retryMs`. */
  onError?: (err: unknown) => void;
  /** First wait before a retry; doubles while the cache stays away, up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
}

interface Claim {
  key: string;
  /** true: first network-wide; false: another replica's; undefined: never answered (closed). */
  resolve: (first: boolean | undefined) => void;
}

/**
 * Network-wide "first time anyone counted this id": SET NX with a TTL in the shared cache, so
 * several replicas (which watch different relays that carry the same events) count each id once.
 * The value written is this process's token: when an answer is lost (timeout after the write
 * landed), the retry reads the key back and recognises its own claim instead of taking it for
 * another replica's, so a slow cache can delay counts but never drop them. While the cache is
 * away the failed claims wait together and are retried together, so they all settle within one
 * round trip of its return.
 */
export class NetworkDedup {
  private queue: Claim[] = [];
  private scheduled = false;
  private running = 0;
  private closed = false;
  private readonly wakers = new Set<() => void>();
  private readonly token = randomUUID();
  private readonly cache: Cache;
  private readonly ttlSeconds: number;
  private readonly batchSize: number;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly onError: ((err: unknown) => void) | undefined;

  constructor({
    cache,
    ttlSeconds,
    batchSize = 500,
    onError,
    retryMs = 1000,
    maxRetryMs = 5000,
  }: NetworkDedupOptions) {
    this.cache = cache;
    this.ttlSeconds = ttlSeconds;
    this.batchSize = batchSize;
    this.onError = onError;
    this.retryMs = retryMs;
    this.maxRetryMs = maxRetryMs;
  }

  /** Ids waiting for an answer (for back-pressure). */
  get waiting(): number {
    return this.queue.length + this.running;
  }

  /**
   * Resolves true when this call is the first, network-wide, to claim `id`; false when another
   * claim was; undefined when the dedup closed before the cache answered.
   */
  claim(id: string): Promise<boolean | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.queue.push({ key: `seen:${id}`, resolve });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          void this.drain();
        });
      }
    });
  }

  /**
   * Stops retrying (the replica stops): claims the cache has not answered resolve undefined, so
   * the caller can count what it knows (the relay's copy) and report what it cannot.
   */
  close(): void {
    this.closed = true;
    for (const wake of this.wakers) wake();
    for (const item of this.queue.splice(0)) item.resolve(undefined);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchSize);
      this.running += batch.length;
      // Issued back to back, the commands share round trips (the client pipelines them).
      let failed = await this.attempt(batch, (key) =>
        this.cache.setIfAbsent(key, this.token, this.ttlSeconds),
      );
      let waitMs = this.retryMs;
      while (failed.length > 0 && !this.closed) {
        await this.sleep(waitMs);
        waitMs = Math.min(this.maxRetryMs, waitMs * 2);
        if (this.closed) break;
        // The first attempt may have landed with its answer lost: our own token means ours.
        failed = await this.attempt(failed, async (key) => {
          if (await this.cache.setIfAbsent(key, this.token, this.ttlSeconds)) return true;
          return (await this.cache.get(key)) === this.token;
        });
      }
      for (const item of failed) item.resolve(undefined);
      this.running -= batch.length;
    }
  }

  /** One try for each claim; returns the claims whose try failed. */
  private async attempt(items: Claim[], tryClaim: (key: string) => Promise<boolean>): Promise<Claim[]> {
    const answers = await Promise.allSettled(items.map((item) => tryClaim(item.key)));
    const failed: Claim[] = [];
    let reported = false;
    for (const [i, answer] of answers.entries()) {
      const item = items[i] as Claim;
      if (answer.status === 'fulfilled') item.resolve(answer.value);
      else {
        // One report per attempt, not one per id: a batch fails as a whole when the cache is away.
        if (!reported) this.onError?.(answer.reason);
        reported = true;
        failed.push(item);
      }
    }
    return failed;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }
}
