import type { Cache } from '@nostr-info/shared/cache';
import type { Logger } from '@nostr-info/shared/log';
import type { RelayConnection, ResumeCheckpoint } from '../relay/relay-connection.js';

export interface HandoverOptions {
  cache: Cache;
  logger: Logger;
  ttlSeconds?: number;
  /** How long a replica's hold on a relay lasts without renewal (renewed every reconcile tick). */
  leaseMs?: number;
}

const key = (url: string) => `relay-resume:${url}`;
const holderKey = (url: string) => `relay-holder:${url}`;

/**
 * Hands a relay's resume point from the replica that stops watching it to the one that starts,
 * through the shared cache: the new owner re-subscribes with an overlap from where the old one
 * stopped (nothing missed in between) and skips ids the old one already credited (nothing
 * counted twice). Without a checkpoint a relay starts at "now", as on first sight.
 *
 * Who has a relay open is a lease in the cache (a one-slot semaphore per relay, one holder id per
 * connection, renewed every tick, released after the checkpoint is written), not the relays
 * table, whose status lags by a flush: a new owner opens the relay once the lease is free, so it
 * does not read beside the previous connection unless that one is stuck (see `take`).
 */
export class Handover {
  private readonly cache: Cache;
  private readonly logger: Logger;
  private readonly ttlSeconds: number;
  private readonly leaseMs: number;
  private renewFailed = false;

  constructor({ cache, logger, ttlSeconds = 3600, leaseMs = 30_000 }: HandoverOptions) {
    this.cache = cache;
    this.logger = logger;
    this.ttlSeconds = ttlSeconds;
    this.leaseMs = leaseMs;
  }

  /**
   * Stores the checkpoint of a connection that was just stopped, then gives its hold up: the
   * next owner finds the checkpoint as soon as the relay is free.
   */
  save(conn: Pick<RelayConnection, 'url' | 'holder' | 'checkpoint'>): Promise<void> {
    return this.leave(conn.url, conn.holder, conn.checkpoint());
  }

  /**
   * Gives up a relay taken but never opened (it left this replica, or the replica stops, while
   * `take` waited): the checkpoint goes back for the next owner and the hold is released.
   */
  abandon(url: string, holder: string, checkpoint: ResumeCheckpoint | undefined): Promise<void> {
    return this.leave(url, holder, checkpoint);
  }

  /** Leaves the checkpoint (if any) for the next owner, then releases `holder`'s hold. */
  private async leave(url: string, holder: string, checkpoint: ResumeCheckpoint | undefined): Promise<void> {
    try {
      if (checkpoint) await this.cache.set(key(url), JSON.stringify(checkpoint), this.ttlSeconds);
    } catch (err) {
      this.logger.warn({ err, relay: url }, 'resume checkpoint not saved');
    }
    await this.cache.releaseSlot(holderKey(url), holder).catch(() => undefined);
  }

  /**
   * Frees a relay held by a process known to be dead (fenced): its lease need not lapse first.
   */
  async releaseDead(url: string): Promise<void> {
    await this.cache.del(holderKey(url)).catch(() => undefined);
  }

  /**
   * Renews the holds of the connections this process has open (every reconcile tick, before
   * anything that can fail, such as reading the watched set).
   */
  async hold(open: readonly Pick<RelayConnection, 'url' | 'holder'>[]): Promise<void> {
    const results = await Promise.allSettled(
      open.map((c) => this.cache.renewSlots(holderKey(c.url), [c.holder], this.leaseMs)),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed && !this.renewFailed) this.logger.warn({ err: failed.reason }, 'relay holds not renewed');
    this.renewFailed = failed !== undefined;
  }

  /**
   * Takes (reads and deletes) a relay's checkpoint and holds the relay for `holder` (one id per
   * connection, so a relay that leaves and comes back to the same process waits for its own
   * previous connection too). While another connection holds it and has not written a
   * checkpoint, waits up to `waitMs` (the previous owner notices a re-shard on its own next tick
   * and then closes gracefully); a hold that is not renewed lapses (a crashed owner). A holder
   * that neither writes a checkpoint nor lets go within `waitMs` is stuck: the relay is then
   * opened beside it rather than left unwatched.
   */
  async take(
    url: string,
    holder: string,
    waitMs: number,
    cancelled: () => boolean,
    holderDead?: () => Promise<boolean>,
  ): Promise<ResumeCheckpoint | undefined> {
    const deadline = Date.now() + waitMs;
    let polls = 0;
    const takeCheckpoint = async () => {
      const raw = await this.cache.get(key(url));
      if (!raw) return undefined;
      await this.cache.del(key(url));
      return JSON.parse(raw) as ResumeCheckpoint;
    };
    for (;;) {
      try {
        if ((await this.cache.acquireSlot(holderKey(url), holder, 1, this.leaseMs)).acquired) {
          // Free (or let go of): the previous owner writes its checkpoint before it lets go.
          return await takeCheckpoint();
        }
      } catch (err) {
        this.logger.warn({ err, relay: url }, 'resume checkpoint not read');
        return undefined;
      }
      if (cancelled()) return undefined;
      // A holder found dead meanwhile (fenced by its own restart) is not waited for.
      if (holderDead && ++polls % 4 === 0 && (await holderDead().catch(() => false))) {
        await this.releaseDead(url);
        continue;
      }
      if (Date.now() >= deadline) {
        this.logger.warn(
          { relay: url },
          'previous holder did not let go in time: opening the relay beside it',
        );
        await this.hold([{ url, holder }]);
        return await takeCheckpoint().catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
