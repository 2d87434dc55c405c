import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';

/** The tables that record when a slower-cadence task of the scheduler last ran, and their time column. */
const LAST_RUN = { trust_runs: 'computed_at', user_tier_refreshes: 'refreshed_at' } as const;

/**
 * True when the task recorded in `table` has not run within `intervalSeconds` before `now` (or never
 * has). A second of slack: runs on a 5-minute clock land a few milliseconds early or late.
 */
export async function isDue(
  db: Kysely<Database>,
  table: keyof typeof LAST_RUN,
  now: Date,
  intervalSeconds: number,
): Promise<boolean> {
  const { rows } = await sql<{ at: Date | string | null }>`
    select max(${sql.ref(LAST_RUN[table])}) as at from ${sql.table(table)}`.execute(db);
  const at = rows[0]?.at ? new Date(rows[0].at).getTime() : null;
  return at === null || now.getTime() - at >= intervalSeconds * 1000 - 1000;
}
