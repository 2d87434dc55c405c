import type { Cache, Logger } from '@nostr-info/shared';
import type { RelayConnection, ResumeCheckpoint } from '../relay/relay-connection.js';

export interface HandoverOptions {
  cache: Cache;
  logger: Logger;
  ttlSeconds?: number;
}

const key = (url: string) => `relay-resume:${url}`;

/**
 * Hands a relay's resume point from the replica that stops watching it to the one that starts,
 * through the shared cache: the new owner re-subscribes with an overlap from where the old one
 * stopped (nothing missed in between) and skips ids the old one already credited (nothing
 * counted twice). Without a checkpoint a relay starts at "now", as on first sight.
 */
export class Handover {
  private readonly cache: Cache;
  private readonly logger: Logger;
  private readonly ttlSeconds: number;

  constructor({ cache, logger, ttlSeconds = 3600 }: HandoverOptions) {
    this.cache = cache;
    this.logger = logger;
    this.ttlSeconds = ttlSeconds;
  }

  /** Stores the checkpoint of a connection that was just stopped. */
  async save(conn: RelayConnection): Promise<void> {
    const checkpoint = conn.checkpoint();
    if (!checkpoint) return;
    try {
      await this.cache.set(key(conn.url), JSON.stringify(checkpoint), this.ttlSeconds);
    } catch (err) {
      this.logger.warn({ err, relay: conn.url }, 'resume checkpoint not saved');
    }
  }

  /**
   * Takes (reads and deletes) a relay's checkpoint, waiting up to `waitMs` for the previous owner
   * to write it (it notices the re-shard on its own next reconcile tick).
   */
  async take(url: string, waitMs: number, cancelled: () => boolean): Promise<ResumeCheckpoint | undefined> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        const raw = await this.cache.get(key(url));
        if (raw) {
          await this.cache.del(key(url));
          return JSON.parse(raw) as ResumeCheckpoint;
        }
      } catch (err) {
        this.logger.warn({ err, relay: url }, 'resume checkpoint not read');
        return undefined;
      }
      if (Date.now() >= deadline || cancelled()) return undefined;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
