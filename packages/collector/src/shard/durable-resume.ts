import type { Database } from '@nostr-info/shared/db';
import type { Kysely } from 'kysely';
import type { ResumeCheckpoint } from '../relay/connection-types.js';
import type { Instances } from './instances.js';

/** A relay's resume point as the last committed flush left it. */
export interface StoredResume {
  checkpoint: ResumeCheckpoint;
  /** The instance whose flush wrote it. */
  holder: string;
  /** Whether that instance is dead (fenced now): its hold on the relay need not be waited for. */
  holderDead: boolean;
}

/**
 * Reads a relay's durable resume point (`relay_resume`, `relay_credited`): when it was last heard
 * from as of the last committed flush, every id it was credited with since the floor and every
 * bad copy it was charged, so a new holder resumes from there with a look-back and credits or
 * charges nothing twice, without a hand-over from a process that may be dead.
 */
export class DurableResume {
  private readonly db: Kysely<Database>;
  private readonly instances: Instances;
  private readonly windowSeconds: number;

  constructor({
    db,
    instances,
    windowSeconds,
  }: {
    db: Kysely<Database>;
    instances: Instances;
    windowSeconds: number;
  }) {
    this.db = db;
    this.instances = instances;
    this.windowSeconds = windowSeconds;
  }

  /** True when the instance `holder` is dead: fenced, or silent past the heartbeat timeout (fenced now). */
  async holderDead(holder: string): Promise<boolean> {
    if (holder === this.instances.token) return false;
    return this.instances.isDead(holder) || (await this.instances.fenceIfSilent(holder));
  }

  /** The stored resume point of `relayId`, or undefined when none was ever committed. */
  async load(relayId: number): Promise<StoredResume | undefined> {
    const row = await this.db
      .selectFrom('relay_resume')
      .select(['heard_sec', 'floor_sec', 'holder'])
      .where('relay_id', '=', relayId)
      .executeTakeFirst();
    if (!row) return undefined;
    const nowSec = Math.floor(Date.now() / 1000);
    // Ids older than the window are pruned, so the set covers nothing below it.
    const floor = Math.max(Number(row.floor_sec), nowSec - this.windowSeconds);
    const blobs = await this.db
      .selectFrom('relay_credited')
      .select(['ids', 'charged'])
      .where('relay_id', '=', relayId)
      .where('horizon_sec', '>=', floor)
      .orderBy('horizon_sec')
      .execute();
    const packed = Buffer.concat(blobs.map((b) => b.ids));
    const charged = Buffer.concat(blobs.flatMap((b) => (b.charged ? [b.charged] : [])));
    const holder = row.holder;
    const holderDead = await this.holderDead(holder);
    return {
      holder,
      holderDead,
      checkpoint: {
        lastHeardSec: Math.max(Number(row.heard_sec), floor),
        seen: { floor, ids: [], packed: packed.toString('base64') },
        charged,
      },
    };
  }
}
