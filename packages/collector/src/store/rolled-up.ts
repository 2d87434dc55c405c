import { type Database, ROLLUP_STATE_NAME } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';

/**
 * The last day the scheduler's running totals hold (`stats_rollup_state.through_day`, as
 * `YYYY-MM-DD`), locked `FOR SHARE` until the flush commits; null without rollup state.
 *
 * The `all` range reads the totals plus the day rows after that day, so a day row written for a
 * day already rolled up (a flush retried long after a database outage) would be in neither. The
 * scheduler moves the day forward under `FOR UPDATE` and adds the day rows it covers to the
 * totals; the row lock serialises the two: either this flush commits before the scheduler reads
 * the day rows (they are added then), or it reads the day the scheduler moved to and adds its own
 * rows of the days covered to the totals, in the same transaction.
 */
export async function rolledUpThrough(tx: Kysely<Database>): Promise<string | null> {
  const { rows } = await sql<{ day: string }>`
    select through_day::text as day from stats_rollup_state
     where name = ${ROLLUP_STATE_NAME} for share`.execute(tx);
  return rows[0]?.day ?? null;
}

/** The rows of `daily` (bucket `day`, `YYYY-MM-DD`) whose day the running totals hold already. */
export function rolledUp<T extends { day: string }>(daily: readonly T[], through: string | null): T[] {
  return through === null ? [] : daily.filter((r) => r.day <= through);
}
