import { type Database, RELAY_HEALTH_COUNTERS, ROLLUP_STATE_NAME } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import { dayString, truncDay } from '../compute/range-window.js';

const DAY_MS = 86_400_000;

/** Name of the one `stats_rollup_state` row (collector flushes lock it too). */
export const ROLLUP_NAME = ROLLUP_STATE_NAME;

/**
 * Days closed for rollup: up to today minus this. The collector buckets by observation time, so a
 * day only changes while it is current; yesterday still gets flushes retried after midnight.
 */
export const ROLLUP_LAG_DAYS = 2;

const HEALTH = RELAY_HEALTH_COUNTERS;

/**
 * Moves the running totals forward to the newest closed day: adds the day rows after the previous
 * `through_day` to `events_aggregated_totals`, `relay_health_totals`, `clients_totals`. Totals and
 * `through_day` move together in one transaction; once caught up it adds one day of rows a day.
 * Returns the new `through_day`.
 *
 * The state row is locked `FOR UPDATE`, which waits for every collector flush holding it
 * `FOR SHARE`: a flush that wrote day rows commits before the sums below read them, and a later
 * flush reads the new `through_day` and adds its rows of covered days to the totals itself. That
 * needs each statement to see what committed before it (read committed): in a transaction whose
 * snapshot is older than the lock, the sums would miss those rows.
 */
export async function advanceRollups(db: Kysely<Database>, now: Date): Promise<string> {
  const target = dayString(new Date(truncDay(now).getTime() - ROLLUP_LAG_DAYS * DAY_MS));
  const state = await db
    .selectFrom('stats_rollup_state')
    .select('through_day')
    .where('name', '=', ROLLUP_NAME)
    .forUpdate()
    .executeTakeFirst();
  const from = state ? dayString(new Date(state.through_day)) : null;
  if (from !== null && from >= target) return from;
  const after = from === null ? sql`'-infinity'::date` : sql`${from}::date`;
  const upTo = sql`${target}::date`;

  await sql`
    insert into events_aggregated_totals as t (relay_id, kind, events, invalid, duplicates, first_corroborated)
    select relay_id, kind, sum(events), sum(invalid), sum(duplicates), sum(first_corroborated)
      from events_aggregated_daily where day > ${after} and day <= ${upTo}
     group by relay_id, kind
    on conflict (relay_id, kind) do update
       set events = t.events + excluded.events, invalid = t.invalid + excluded.invalid,
           duplicates = t.duplicates + excluded.duplicates,
           first_corroborated = t.first_corroborated + excluded.first_corroborated`.execute(db);
  const cols = sql.join(HEALTH.map((c) => sql.ref(c)));
  const sums = sql.join(HEALTH.map((c) => sql`sum(${sql.ref(c)})`));
  const adds = sql.join(HEALTH.map((c) => sql`${sql.ref(c)} = t.${sql.ref(c)} + excluded.${sql.ref(c)}`));
  await sql`
    insert into relay_health_totals as t (relay_id, ${cols})
    select relay_id, ${sums} from relay_health_daily where day > ${after} and day <= ${upTo}
     group by relay_id
    on conflict (relay_id) do update set ${adds}`.execute(db);
  await sql`
    insert into clients_totals as t (client, events)
    select client, sum(events) from clients where day > ${after} and day <= ${upTo} group by client
    on conflict (client) do update set events = t.events + excluded.events`.execute(db);
  await sql`
    insert into stats_rollup_state (name, through_day) values (${ROLLUP_NAME}, ${upTo})
    on conflict (name) do update set through_day = excluded.through_day`.execute(db);
  return target;
}
