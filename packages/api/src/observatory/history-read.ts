import { dayString, type RangeWindow, truncHour } from '@nostr-info/scheduler';
import type { Database } from '@nostr-info/shared/db';
import { type Kysely, type RawBuilder, sql } from 'kysely';

const HOUR_MS = 3_600_000;

/** A row's bucket as the database returns it: a timestamp (hours) or a `YYYY-MM-DD` string (days). */
export type BucketValue = Date | string;

export interface EventsRow {
  t: BucketValue;
  events: number;
  invalid: number;
}
export interface HealthRow {
  t: BucketValue;
  connected_ms: number;
  observed_ms: number;
  restricted_ms: number;
  connects: number;
  disconnects: number;
  open_sum: number;
  open_n: number;
  eose_sum: number;
  eose_n: number;
}
export interface OffFilterRow {
  t: BucketValue;
  copies: number;
}
export interface LatencyRow {
  t: BucketValue;
  phase: 'open' | 'eose';
  le_ms: number;
  samples: number;
}

/** Everything one relay's history reads: per-bucket sums of each per-relay table. */
export interface HistoryRows {
  events: EventsRow[];
  health: HealthRow[];
  offFilter: OffFilterRow[];
  latency: LatencyRow[];
  /** First day with any row of the relay (read for `all` only, to open its series). */
  firstDay: BucketValue | null;
}

/** The hourly, 5-minute and daily tables of one per-relay counter. */
interface CounterTables {
  hourly: string;
  slots: string | null;
  daily: string;
}

const ts = (t: Date): RawBuilder<unknown> => sql`${t.toISOString()}::timestamptz`;

/**
 * One relay's rows of a counter in the window as a derived table `r` with the bucket as `t`. The
 * same rule as the statistics snapshot's (the scheduler's `windowBounds`), for one relay: hour
 * ranges read the hourly tables, day ranges the daily ones, and a window starting inside an hour
 * (`24h`) reads that hour's part from the 5-minute tables, so the points add up to the range's
 * figures. A table without 5-minute rows (latency histograms) gives that first hour whole.
 */
function relayRows(
  window: RangeWindow,
  relayId: number,
  c: CounterTables,
  columns: string[],
): RawBuilder<unknown> {
  const cols = sql.join(columns.map((col) => sql.ref(col)));
  const { start } = window;
  if (window.granularity === 'day') {
    const from = start ? sql`${dayString(start)}::date` : sql`'-infinity'::date`;
    return sql`(select day as t, ${cols} from ${sql.table(c.daily)}
                 where relay_id = ${relayId} and day >= ${from}) r`;
  }
  if (!start) throw new Error('an hour range has a start');
  const firstHour = truncHour(start);
  const partial = firstHour.getTime() < start.getTime();
  if (!partial || !c.slots) {
    return sql`(select hour as t, ${cols} from ${sql.table(c.hourly)}
                 where relay_id = ${relayId} and hour >= ${ts(firstHour)}) r`;
  }
  const nextHour = new Date(firstHour.getTime() + HOUR_MS);
  return sql`(select hour as t, ${cols} from ${sql.table(c.hourly)}
               where relay_id = ${relayId} and hour >= ${ts(nextHour)}
              union all
              select ${ts(firstHour)} as t, ${cols} from ${sql.table(c.slots)}
               where relay_id = ${relayId} and bucket >= ${ts(start)} and bucket < ${ts(nextHour)}) r`;
}

const EVENTS: CounterTables = {
  hourly: 'events_aggregated',
  slots: 'events_aggregated_5m',
  daily: 'events_aggregated_daily',
};
const HEALTH: CounterTables = {
  hourly: 'relay_health_hourly',
  slots: 'relay_health_5m',
  daily: 'relay_health_daily',
};
const OFF_FILTER: CounterTables = {
  hourly: 'relay_off_filter_hourly',
  slots: 'relay_off_filter_5m',
  daily: 'relay_off_filter_daily',
};
const LATENCY: CounterTables = { hourly: 'relay_latency_hourly', slots: null, daily: 'relay_latency_daily' };

const HEALTH_COLUMNS = [
  'connected_ms',
  'observed_ms',
  'restricted_ms',
  'connects',
  'disconnects',
  'open_latency_ms_sum',
  'open_latency_count',
  'eose_latency_ms_sum',
  'eose_latency_count',
];

/**
 * Reads one relay's per-bucket sums in the window (in parallel on the reader's pool). Each query is
 * an index range scan on (relay, bucket): at most a few thousand rows, whatever the network size.
 */
export async function readHistoryRows(
  db: Kysely<Database>,
  window: RangeWindow,
  relayId: number,
): Promise<HistoryRows> {
  const [events, health, offFilter, latency, firstDay] = await Promise.all([
    sql<EventsRow>`
      select t, sum(events)::bigint as events, sum(invalid)::bigint as invalid
        from ${relayRows(window, relayId, EVENTS, ['events', 'invalid'])} group by t`.execute(db),
    sql<HealthRow>`
      select t, sum(connected_ms)::bigint as connected_ms, sum(observed_ms)::bigint as observed_ms,
             sum(restricted_ms)::bigint as restricted_ms, sum(connects)::bigint as connects,
             sum(disconnects)::bigint as disconnects,
             sum(open_latency_ms_sum)::bigint as open_sum, sum(open_latency_count)::bigint as open_n,
             sum(eose_latency_ms_sum)::bigint as eose_sum, sum(eose_latency_count)::bigint as eose_n
        from ${relayRows(window, relayId, HEALTH, HEALTH_COLUMNS)} group by t`.execute(db),
    sql<OffFilterRow>`
      select t, sum(copies)::bigint as copies
        from ${relayRows(window, relayId, OFF_FILTER, ['copies'])} group by t`.execute(db),
    sql<LatencyRow>`
      select t, phase, le_ms, sum(samples)::bigint as samples
        from ${relayRows(window, relayId, LATENCY, ['phase', 'le_ms', 'samples'])}
       group by t, phase, le_ms`.execute(db),
    window.start
      ? Promise.resolve(null)
      : sql<{ day: BucketValue | null }>`
          select least((select min(day) from relay_health_daily where relay_id = ${relayId}),
                       (select min(day) from events_aggregated_daily where relay_id = ${relayId}),
                       (select min(day) from relay_off_filter_daily where relay_id = ${relayId})) as day`.execute(
          db,
        ),
  ]);
  return {
    events: events.rows,
    health: health.rows,
    offFilter: offFilter.rows,
    latency: latency.rows,
    firstDay: firstDay?.rows[0]?.day ?? null,
  };
}
