import type { Cache } from '@nostr-info/shared';
import { LRUCache } from 'lru-cache';

export interface NetworkDedupOptions {
  cache: Cache;
  ttlSeconds: number;
  /** Ids per Redis pipeline. */
  batchSize?: number;
  /** Called when the cache fails; the batch is retried after `retryMs`. */
  onError?: (err: unknown) => void;
  retryMs?: number;
}

/**
 * Network-wide "first time anyone counted this id": SET NX with a TTL in the shared cache, so
 * several replicas (which watch different relays that carry the same events) count each id once.
 * Calls are batched into one pipelined round trip; a cache outage delays answers, never guesses.
 */
export class NetworkDedup {
  private queue: { key: string; resolve: (first: boolean) => void }[] = [];
  private scheduled = false;
  private running = 0;
  private readonly cache: Cache;
  private readonly ttlSeconds: number;
  private readonly batchSize: number;
  private readonly retryMs: number;
  private readonly onError: ((err: unknown) => void) | undefined;

  constructor({ cache, ttlSeconds, batchSize = 500, onError, retryMs = 1000 }: NetworkDedupOptions) {
    this.cache = cache;
    this.ttlSeconds = ttlSeconds;
    this.batchSize = batchSize;
    this.onError = onError;
    this.retryMs = retryMs;
  }

  /** Ids waiting for an answer (for back-pressure). */
  get waiting(): number {
    return this.queue.length + this.running;
  }

  /** Resolves true when this call is the first, network-wide, to claim `id`. */
  claim(id: string): Promise<boolean> {
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

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchSize);
      this.running += batch.length;
      for (;;) {
        try {
          const answers = await this.cache.setManyIfAbsent(
            batch.map((b) => b.key),
            this.ttlSeconds,
          );
          batch.forEach((b, i) => b.resolve(answers[i] === true));
          break;
        } catch (err) {
          this.onError?.(err);
          await new Promise((r) => setTimeout(r, this.retryMs));
        }
      }
      this.running -= batch.length;
    }
  }
}

/**
 * Ids this replica has already verified as valid, with their signature: a later copy with the
 * same id and the same signature is valid without verifying again; a copy with a different
 * signature is verified on its own, so an invalid copy can neither shadow nor borrow validity.
 */
export class ValidIds {
  private readonly lru: LRUCache<string, string>;

  constructor(max = 100_000) {
    this.lru = new LRUCache({ max });
  }

  /** The known-valid signature of `id`, if any. */
  sigOf(id: string): string | undefined {
    return this.lru.get(id);
  }

  has(id: string): boolean {
    return this.lru.has(id);
  }

  /** Records a verified id; returns false when it was already known (another copy won). */
  add(id: string, sig: string): boolean {
    if (this.lru.has(id)) return false;
    this.lru.set(id, sig);
    return true;
  }

  get size(): number {
    return this.lru.size;
  }
}
