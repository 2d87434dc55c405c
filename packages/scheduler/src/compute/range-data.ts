import type { Database } from '@nostr-info/shared/db';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { ROLLUP_NAME } from '../store/rollups.js';
import { COUNTER_TABLES, type CounterName } from './counter-tables.js';
import { type DistinctCounts, type DistinctFigures, readDistinct } from './distinct-counts.js';
import type { RangeWindow } from './range-window.js';
import {
  bucketTiersAt,
  firstSeriesBucket,
  readNewTiersBetween,
  readTierSeries,
  type TierSeries,
} from './tier-buckets.js';
import { readTierCounts, type TierCounts } from './tier-counts.js';
import { windowBounds } from './window-bounds.js';

/** Per-relay counters summed over a range. */
export interface RelayRangeCounters {
  relay_id: number;
  kind: number;
  events: number;
  invalid: number;
  /** Events another watched relay also delivered (`duplicates` + `first_corroborated`). */
  corroborated: number;
}

/** Per-relay health counters summed over a range. */
export interface RelayHealthSums {
  relay_id: number;
  connected_ms: number;
  observed_ms: number;
  restricted_ms: number;
  open_sum: number;
  open_n: number;
  eose_sum: number;
  eose_n: number;
}

/** Network-unique events of one kind in one bucket. */
export interface KindBucket {
  t: Date | string;
  kind: number;
  events: number;
}

/** Active and new users of one bucket. */
export interface ActivityBucket {
  t: Date | string;
  active_users: number;
  new_users: number;
}

/** Single figures of a range: distinct users, articles, zap sums and participants. */
export interface RangeScalars extends TierCounts, DistinctCounts {
  /** When the trust table was computed (the newest `trust_runs` row). */
  trust_computed_at: Date | null;
  zaps: number;
  sats: number;
  flagged: number;
}

/** Events or users of one client. */
export interface ClientCount {
  client: string;
  n: number;
}

/** Everything one range reads from the database, before it is shaped into sections. */
export interface RangeData {
  relayCounters: RelayRangeCounters[];
  relayHealth: RelayHealthSums[];
  networkEvents: KindBucket[];
  activity: ActivityBucket[];
  scalars: RangeScalars;
  clientEvents: ClientCount[];
  clientUsers: ClientCount[];
  /** First day with any data (only read for `all`, to open its series). */
  firstDay: Date | string | null;
  /** Profiled and trusted keys per bucket of the activity series. */
  tierSeries: TierSeries;
}

/** Row count of `data` (reported per range as `rows`). */
export function rowCount(data: RangeData): number {
  return (
    data.relayCounters.length +
    data.relayHealth.length +
    data.networkEvents.length +
    data.activity.length +
    data.clientEvents.length +
    data.clientUsers.length +
    data.tierSeries.buckets.size +
    1
  );
}

/**
 * `all` over a per-relay or per-client counter: the scheduler's running totals up to
 * `through_day` plus the day rows after it, as a derived table `r`. One statement, so one
 * snapshot: totals and the day rows after them can never overlap or leave a gap, even while the
 * replica replays a rollup. Day rows that arrive for a day already rolled up are added to the
 * totals by the collector's flush (see `rolledUpThrough` there).
 */
function rolledUp(totals: string, name: CounterName): RawBuilder<unknown> {
  const c = COUNTER_TABLES[name];
  const columns = sql.join(c.columns.map((col) => sql.ref(col)));
  return sql`(
    select ${columns} from ${sql.table(totals)}
    union all
    select ${columns} from ${sql.table(c.daily)}
     where day > coalesce((select through_day from stats_rollup_state where name = ${ROLLUP_NAME}),
                          '-infinity'::date)) r`;
}

/**
 * Runs every query of one range (in parallel on the reader's pool). `tiers` and `distinct`, read
 * for every range of a run at once, are read for this range alone when not given.
 */
export async function readRange(
  db: Kysely<Database>,
  window: RangeWindow,
  {
    tiers = readTierCounts(db, [window]).then(([t]) => t as TierCounts),
    tierSeries = readTierSeries(db, window.granularity, firstSeriesBucket(window)),
    distinct = readDistinct(db, [window]).then(([d]) => d as DistinctFigures),
  }: {
    tiers?: Promise<TierCounts>;
    tierSeries?: Promise<TierSeries>;
    distinct?: Promise<DistinctFigures>;
  } = {},
): Promise<RangeData> {
  const { partial, firstBucket, rows } = windowBounds(window);
  const all = window.start === null;
  /** The rows of a counter in the window; `all` reads running totals when it has some. */
  const from = (name: CounterName, totals?: string) => (all && totals ? rolledUp(totals, name) : rows(name));
  // New users of a partial first hour are counted exactly from first-seen times; its active users
  // are those of the whole hour (distinct users of part of an hour are not kept).
  const newUsers = partial
    ? sql`case when hour < ${partial.to.toISOString()}::timestamptz
            then (select count(*) from pubkeys
                   where first_seen_at >= ${partial.from.toISOString()}::timestamptz
                     and first_seen_at < ${partial.to.toISOString()}::timestamptz)
            else new_users end`
    : sql.ref('new_users');
  const [
    relayCounters,
    relayHealth,
    networkEvents,
    activity,
    scalars,
    clientEvents,
    firstDay,
    tierCounts,
    tierBuckets,
    partialNewTiers,
    distinctFigures,
  ] = await Promise.all([
    sql<RelayRangeCounters>`
        select relay_id, kind, sum(events)::bigint as events, sum(invalid)::bigint as invalid,
               sum(duplicates + first_corroborated)::bigint as corroborated
          from ${from('relayEvents', 'events_aggregated_totals')}
         group by relay_id, kind`.execute(db),
    sql<RelayHealthSums>`
        select relay_id,
               sum(connected_ms)::bigint as connected_ms, sum(observed_ms)::bigint as observed_ms,
               sum(restricted_ms)::bigint as restricted_ms,
               sum(open_latency_ms_sum)::bigint as open_sum, sum(open_latency_count)::bigint as open_n,
               sum(eose_latency_ms_sum)::bigint as eose_sum, sum(eose_latency_count)::bigint as eose_n
          from ${from('relayHealth', 'relay_health_totals')}
         group by relay_id`.execute(db),
    sql<KindBucket>`
        select t, kind, sum(events)::bigint as events from ${rows('networkEvents')}
         group by t, kind having sum(events) > 0`.execute(db),
    window.granularity === 'hour'
      ? sql<ActivityBucket>`
            select hour as t, active_users, ${newUsers} as new_users
              from user_activity_hourly where hour >= ${firstBucket}`.execute(db)
      : sql<ActivityBucket>`
            select day as t, active_users, new_users
              from user_activity_daily where day >= ${firstBucket}`.execute(db),
    // Distinct counts (users, articles, zap participants, client users) come from `distinct`.
    sql<Pick<RangeScalars, 'trust_computed_at' | 'zaps' | 'sats' | 'flagged'>>`
        select
          (select max(computed_at) from trust_runs) as trust_computed_at,
          z.zaps, z.sats, z.flagged
        from (select coalesce(sum(zaps), 0)::bigint as zaps,
                     coalesce(sum(sats) + floor(sum(extra_msats) / 1000), 0)::bigint as sats,
                     coalesce(sum(flagged), 0)::bigint as flagged
                from ${rows('zaps')}) z`.execute(db),
    sql<ClientCount>`
        select client, sum(events)::bigint as n from ${from('clients', 'clients_totals')}
         group by client`.execute(db),
    window.start
      ? Promise.resolve(null)
      : sql<{ day: Date | string | null }>`
            select least((select min(day) from network_events_daily),
                         (select min(day) from user_activity_daily)) as day`.execute(db),
    tiers,
    tierSeries,
    partial ? readNewTiersBetween(db, partial.from, partial.to) : Promise.resolve(null),
    distinct,
  ]);
  const scalarRow = scalars.rows[0];
  if (!scalarRow) throw new Error('range scalars query returned no row');
  return {
    relayCounters: relayCounters.rows,
    relayHealth: relayHealth.rows,
    networkEvents: networkEvents.rows,
    activity: activity.rows,
    scalars: { ...scalarRow, ...distinctFigures.counts, ...tierCounts },
    clientEvents: clientEvents.rows,
    clientUsers: distinctFigures.clientUsers,
    firstDay: firstDay?.rows[0]?.day ?? null,
    tierSeries:
      partialNewTiers && partial ? withPartialHour(tierBuckets, partial.hour, partialNewTiers) : tierBuckets,
  };
}

/**
 * The series with the new users by tier of a window's partial first hour counted over its part
 * inside the window, as `new_users` is; its active users stay those of the whole hour.
 */
function withPartialHour(
  series: TierSeries,
  hour: Date,
  newTiers: { profiled: number; trusted: number },
): TierSeries {
  const whole = bucketTiersAt(series, hour);
  if (!whole) return series;
  const buckets = new Map(series.buckets);
  buckets.set(hour.toISOString(), {
    ...whole,
    new_profiled: newTiers.profiled,
    new_trusted: newTiers.trusted,
  });
  return { ...series, buckets };
}
