import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { ComputedRange } from '../compute/compute-snapshot.js';

/** Per-range figures of a run, as stored in `scheduler_runs.ranges` and `stats:last-run`. */
export type RangeFigures = Record<string, { duration_ms: number; rows: number }>;

/** An arbitrary constant naming the scheduler's transaction-scoped advisory lock. */
export const SCHEDULER_LOCK_KEY = 7_466_736_947_111_004n;

/** Takes the run lock for the rest of `trx`; false when another run holds it. */
export async function tryRunLock(trx: Transaction<Database>): Promise<boolean> {
  const { rows } = await sql<{
    got: boolean;
  }>`select pg_try_advisory_xact_lock(${SCHEDULER_LOCK_KEY}) as got`.execute(trx);
  return rows[0]?.got === true;
}

/** Per-range duration and row count of computed ranges. */
export function rangeFigures(computed: readonly ComputedRange[]): RangeFigures {
  return Object.fromEntries(computed.map((c) => [c.range, { duration_ms: c.durationMs, rows: c.rows }]));
}

/**
 * Inserts one snapshot per range and the run's `scheduler_runs` row, then prunes each range to its
 * newest `history` snapshots. Called inside the run's transaction, so readers see all of a run's
 * snapshots or none.
 */
export async function writeSnapshots(
  trx: Transaction<Database>,
  computed: readonly ComputedRange[],
  { history, startedAt, finishedAt }: { history: number; startedAt: Date; finishedAt: Date },
): Promise<void> {
  await trx
    .insertInto('statistics_snapshots')
    .values(
      computed.map((c) => ({
        range: c.range,
        computed_at: c.snapshot.computed_at,
        duration_ms: c.durationMs,
        body: JSON.stringify(c.snapshot),
      })),
    )
    .execute();
  await sql`
    delete from statistics_snapshots where id in (
      select id from (
        select id, row_number() over (partition by range order by computed_at desc, id desc) as n
          from statistics_snapshots) ranked
       where n > ${history})`.execute(trx);
  await trx
    .insertInto('scheduler_runs')
    .values({
      started_at: startedAt,
      finished_at: finishedAt,
      success: true,
      error: null,
      ranges: JSON.stringify(rangeFigures(computed)),
    })
    .execute();
}

/** Records a failed run (best effort: the database may be what failed). */
export async function recordFailedRun(
  db: Kysely<Database>,
  { startedAt, finishedAt, error }: { startedAt: Date; finishedAt: Date; error: string },
): Promise<void> {
  await db
    .insertInto('scheduler_runs')
    .values({ started_at: startedAt, finished_at: finishedAt, success: false, error, ranges: null })
    .execute();
}
