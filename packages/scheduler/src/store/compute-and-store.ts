import type { Cache } from '@nostr-info/shared/cache';
import { type Database, type Databases, READ_SETTINGS, withConsistentRead } from '@nostr-info/shared/db';
import type { Logger } from '@nostr-info/shared/log';
import type { StatsRange } from '@nostr-info/shared/stats';
import { type Kysely, sql } from 'kysely';
import { type ComputedRange, computeSnapshot } from '../compute/compute-snapshot.js';
import { type DistinctFigures, readDistinct } from '../compute/distinct-counts.js';
import { type ParticipantTiers, readParticipantTiers } from '../compute/participant-tiers.js';
import { rangeWindow } from '../compute/range-window.js';
import { readRelayFacts } from '../compute/relay-facts.js';
import { readTierSeriesOf, type TierSeries } from '../compute/tier-buckets.js';
import { readTierCounts, type TierCounts } from '../compute/tier-counts.js';
import { cacheSnapshots } from '../publish/cache.js';
import { advanceRollups } from './rollups.js';
import { tryRunLock, writeSnapshots } from './write-snapshots.js';

/** What `computeAndStore` needs from the run. */
export interface ComputeAndStoreOptions {
  dbs: Databases;
  cache: Cache;
  log: Logger;
  ranges: readonly StatsRange[];
  /** The run's clock: every range is computed at this instant. */
  now: Date;
  history: number;
  /** Wall time of the run so far, for the `scheduler_runs` row. */
  elapsedMs: () => number;
  /** False when no trust seeds are configured (the trusted figures are then null). */
  trust?: boolean;
}

async function computeAll(
  reader: Kysely<Database>,
  ranges: readonly StatsRange[],
  now: Date,
  trust: boolean,
) {
  const windows = ranges.map((range) => rangeWindow(range, now));
  // The user tiers and the distinct counts of every range in one statement each (the tiers of
  // zap participants and client users in one more), and the tiers of every bucket in one per
  // bucket size, beside the ranges' own queries: each table is read once a run, not once a range.
  const tiers = readTierCounts(reader, windows);
  const participants = readParticipantTiers(reader, windows);
  const tierSeries = readTierSeriesOf(reader, windows);
  const distinct = readDistinct(reader, windows);
  // Not left unhandled while the relay facts are read: each range awaits its share.
  tiers.catch(() => undefined);
  participants.catch(() => undefined);
  tierSeries.catch(() => undefined);
  distinct.catch(() => undefined);
  const relays = await readRelayFacts(reader);
  // Ranges run side by side; each one's queries also run in parallel on the reader's pool.
  return Promise.all(
    ranges.map((range, i) =>
      computeSnapshot(reader, range, now, relays, {
        trust,
        tiers: tiers.then((all) => all[i] as TierCounts),
        participants: participants.then((all) => all[i] as ParticipantTiers),
        tierSeries: tierSeries.then((all) => all[i] as TierSeries),
        distinct: distinct.then((all) => all[i] as DistinctFigures),
      }),
    ),
  );
}

/**
 * Computes every range from the reader and stores the snapshots in one writer transaction (all of
 * a run's snapshots or none) that also moves the `all` range's running totals forward (right after
 * it when the run reads inside it, see below), then caches them while still holding the run lock,
 * so an older set never overwrites a newer one in the cache. Null when another run holds the lock.
 *
 * Every read of a run sees one state of the database (`withConsistentRead`): a flush that commits
 * while the run reads is in all of its figures or in none, on the primary and on a replica alike.
 */
export async function computeAndStore(o: ComputeAndStoreOptions): Promise<ComputedRange[] | null> {
  const { dbs, cache, log, ranges, now, trust = true } = o;
  const store = async (
    trx: Parameters<typeof writeSnapshots>[0],
    computed: ComputedRange[],
    { rollups = true } = {},
  ) => {
    const finishedAt = new Date(now.getTime() + Math.round(o.elapsedMs()));
    await writeSnapshots(trx, computed, { history: o.history, startedAt: now, finishedAt });
    if (rollups) await advanceRollups(trx, now);
  };
  const cacheAll = (computed: ComputedRange[]) =>
    cacheSnapshots(cache, computed).catch((err) => log.warn({ err }, 'caching snapshots failed'));
  if (dbs.kind === 'pglite') {
    // One connection serves reader and writer (and one process owns it): compute, then write.
    const computed = await withConsistentRead(dbs, { connections: 1 }, (db) =>
      computeAll(db, ranges, now, trust),
    );
    await dbs.writer.transaction().execute((trx) => store(trx, computed));
    // After commit: a slow cache must not hold the one connection the collector also flushes on.
    await cacheAll(computed);
    return computed;
  }
  // The transaction holds one pooled connection for the whole run; with a one-connection pool
  // and no replica the reads must share it, or they would wait for it forever (and then that
  // transaction is the consistent read).
  const readsInWriter = !dbs.readerIsReplica && dbs.poolMax < 2;
  // One less than the pool: a read pool that fell back to the primary shares it with the writer.
  const readConnections = Math.max(1, dbs.poolMax - 1);
  const result = await dbs.writer
    .transaction()
    .setIsolationLevel(readsInWriter ? 'repeatable read' : 'read committed')
    .execute(async (trx) => {
      if (!(await tryRunLock(trx))) return null;
      // As in a consistent read (`withConsistentRead`).
      if (readsInWriter) await sql.raw(READ_SETTINGS).execute(trx);
      const computed = readsInWriter
        ? await computeAll(trx, ranges, now, trust)
        : await withConsistentRead(dbs, { connections: readConnections }, (db) =>
            computeAll(db, ranges, now, trust),
          );
      await store(trx, computed, { rollups: !readsInWriter });
      await cacheAll(computed);
      return computed;
    });
  // A repeatable-read snapshot predates the rollup's lock (see `advanceRollups`): the rollup then
  // runs after it, in a read-committed transaction of its own (its row lock keeps runs apart).
  if (result && readsInWriter) await dbs.writer.transaction().execute((trx) => advanceRollups(trx, now));
  return result;
}
