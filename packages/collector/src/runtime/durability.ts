import { randomUUID } from 'node:crypto';
import type { Database } from '@nostr-info/shared/db';
import type { Logger } from '@nostr-info/shared/log';
import type { Kysely } from 'kysely';
import { takeOutRepeats } from '../aggregate/recount.js';
import type { ClaimOwners } from '../dedup/dedup.js';
import type { CollectorMetrics } from '../observe/metrics.js';
import { DurableResume } from '../shard/durable-resume.js';
import { Instances } from '../shard/instances.js';
import { committedIds, type DurableWrite, pruneDurable } from '../store/flush-durable.js';

/** How often the relays' resume marks are written (with the flush due then). */
const MARK_EVERY_MS = 5000;

/** How often durable ids past the window are deleted. */
const PRUNE_EVERY_MS = 5 * 60_000;

/** The parts of crash-consistent collection, wired to one replica. */
export interface Durability {
  instances: Instances;
  /** Claims of dead instances, checked against `counted_events`. */
  owners: ClaimOwners;
  /** What each flush commits beside the counts. */
  write: DurableWrite;
  /** Resume points of relays whose holder left no hand-over checkpoint. */
  resume: DurableResume;
  /** True at most once every `MARK_EVERY_MS`: the flush about to run carries the resume marks. */
  markDue(): boolean;
  /** Starts the heartbeat and the pruning; `onFenced` runs once if this instance is fenced. */
  start(onFenced: () => void): void;
  stop(): void;
}

/**
 * Registers this replica as a new instance (fencing its ordinal's previous one, which died) and
 * builds what makes collection crash-consistent: resume points and counted ids committed with
 * the counts, orphaned claims taken over, dead holders not waited for.
 */
export async function startDurability({
  db,
  logger,
  metrics,
  ordinal,
  windowSeconds,
}: {
  db: Kysely<Database>;
  logger: Logger;
  metrics: CollectorMetrics;
  ordinal: number;
  windowSeconds: number;
}): Promise<Durability> {
  const instances = new Instances({ db, logger, token: randomUUID(), ordinal });
  await instances.register();
  let pruner: NodeJS.Timeout | undefined;
  let markedAt = 0;
  return {
    instances,
    owners: {
      isDead: (token) => instances.isDead(token),
      committed: (ids) => committedIds(db, ids),
      onTakenOver: (n) => metrics.claimsTakenOver.inc(n),
    },
    write: {
      token: instances.token,
      windowSeconds,
      recount: (buffer, repeated) => {
        takeOutRepeats(buffer, repeated);
        metrics.redeliveries.inc(repeated.length);
      },
    },
    resume: new DurableResume({ db, instances, windowSeconds }),
    markDue() {
      const now = Date.now();
      if (now - markedAt < MARK_EVERY_MS) return false;
      markedAt = now;
      return true;
    },
    start(onFenced) {
      instances.start(() => {
        metrics.fenced.set(1);
        onFenced();
      });
      const prune = () =>
        void pruneDurable(db, windowSeconds).catch((err: unknown) =>
          logger.warn({ err }, 'durable ids not pruned'),
        );
      prune();
      pruner = setInterval(prune, PRUNE_EVERY_MS);
      pruner.unref();
    },
    stop() {
      instances.stop();
      clearInterval(pruner);
    },
  };
}
