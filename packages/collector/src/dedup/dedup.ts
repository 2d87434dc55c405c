import { randomUUID } from 'node:crypto';
import type { Cache } from '@nostr-info/shared';

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
 * The value written is this process's token: when an answer is lost (timeout after the write
 * landed), the retry reads the key back and recognises its own claim instead of taking it for
 * another replica's, so a slow cache can delay counts but never drop them.
 */
export class NetworkDedup {
  private queue: { key: string; resolve: (first: boolean) => void }[] = [];
  private scheduled = false;
  private running = 0;
  private readonly token = randomUUID();
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
      // Issued back to back, the commands share round trips (the client pipelines them).
      const answers = await Promise.allSettled(
        batch.map((b) => this.cache.setIfAbsent(b.key, this.token, this.ttlSeconds)),
      );
      const retry: typeof batch = [];
      for (const [i, answer] of answers.entries()) {
        const item = batch[i];
        if (!item) continue;
        if (answer.status === 'fulfilled') item.resolve(answer.value);
        else {
          this.onError?.(answer.reason);
          retry.push(item);
        }
      }
      for (const item of retry) item.resolve(await this.retry(item.key));
      this.running -= batch.length;
    }
  }

  /** Claims one key after a failed attempt whose write may or may not have landed. */
  private async retry(key: string): Promise<boolean> {
    for (;;) {
      await new Promise((r) => setTimeout(r, this.retryMs));
      try {
        if (await this.cache.setIfAbsent(key, this.token, this.ttlSeconds)) return true;
        return (await this.cache.get(key)) === this.token;
      } catch (err) {
        this.onError?.(err);
      }
    }
  }
}
