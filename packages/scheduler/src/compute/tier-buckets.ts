import type { Database } from '@nostr-info/shared/db';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type RangeWindow, truncDay, truncHour } from './range-window.js';
import { lookUpTiers } from './tier-counts.js';

/** Profiled and trusted keys active and new in one bucket (see docs/methodology.md, `activity.series`). */
export interface BucketTiers {
  active_profiled: number;
  active_trusted: number;
  new_profiled: number;
  new_trusted: number;
}

/** The tables of one bucket size: who was active, the stored counts, and where the refresh stopped. */
export const TIER_BUCKETS = {
  hour: {
    active: 'active_users_hourly',
    stored: 'user_tiers_hourly',
    column: 'hour',
    through: 'hours_through',
    type: sql`timestamptz`,
    // `date_bin` on a UTC origin: whole UTC hours whatever the session's time zone.
    firstSeen: sql`date_bin('1 hour', p.first_seen_at, timestamptz '2000-01-01T00:00:00Z')`,
  },
  day: {
    active: 'active_users',
    stored: 'user_tiers_daily',
    column: 'day',
    through: 'days_through',
    type: sql`date`,
    firstSeen: sql`(p.first_seen_at at time zone 'utc')::date`,
  },
} as const;

export type Granularity = keyof typeof TIER_BUCKETS;

/**
 * Per-bucket tier counts of the buckets in [`from`, `to`), as rows (`t`, `active_profiled`,
 * `active_trusted`, `new_profiled`, `new_trusted`); buckets with neither active nor new keys give
 * no row. Active: the bucket's rows of `active_users(_hourly)`; new: keys whose `first_seen_at`
 * falls in it. Tiers are those on the `pubkeys` row, looked up for rows the refresh has not seen.
 * The one definition the tier refresh stores and the statistics run counts live.
 */
export function tierBucketCounts(
  granularity: Granularity,
  from: RawBuilder<unknown>,
  to: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const b = TIER_BUCKETS[granularity];
  const col = sql.ref(`a.${b.column}`);
  const tiers = lookUpTiers('p');
  const profiled = sql`coalesce(p.profiled, ${tiers.profiled})`;
  const trusted = sql`coalesce(p.trusted, ${tiers.trusted})`;
  // `first_seen_at` bounds as times, so the index on it serves a day bucket too.
  const time = (t: RawBuilder<unknown>) =>
    granularity === 'day' ? sql`(${t}::timestamp at time zone 'utc')` : t;
  return sql`
    select t, count(*) filter (where active and profiled)::int as active_profiled,
           count(*) filter (where active and trusted)::int as active_trusted,
           count(*) filter (where not active and profiled)::int as new_profiled,
           count(*) filter (where not active and trusted)::int as new_trusted
      from (select ${col} as t, true as active, ${profiled} as profiled, ${trusted} as trusted
              from ${sql.table(b.active)} a join pubkeys p on p.pubkey = a.pubkey
             where ${col} >= ${from} and ${col} < ${to}
            union all
            select ${b.firstSeen} as t, false, ${profiled}, ${trusted}
              from pubkeys p
             where p.first_seen_at >= ${time(from)} and p.first_seen_at < ${time(to)}) k
     group by t`;
}

/** Tier counts per bucket start (ISO time), and from when on a missing bucket means zero. */
export interface TierSeries {
  buckets: Map<string, BucketTiers>;
  /** Buckets from here on were counted live: one without a row had no keys. Before it, a missing row is unknown. */
  liveFrom: number;
}

const NO_TIERS: BucketTiers = { active_profiled: 0, active_trusted: 0, new_profiled: 0, new_trusted: 0 };

/**
 * The tier counts of the bucket starting at `t`: its row; none where the live count covered it and
 * found no key; null (not known) before that, where no refresh stored it.
 */
export function bucketTiersAt(series: TierSeries, t: Date): BucketTiers | null {
  return series.buckets.get(t.toISOString()) ?? (t.getTime() >= series.liveFrom ? NO_TIERS : null);
}

/** The bucket start of a `timestamptz` or `date` value, as an ISO time. */
export function bucketIso(t: Date | string): string {
  return t instanceof Date ? t.toISOString() : new Date(`${t}T00:00:00.000Z`).toISOString();
}

interface Row extends BucketTiers {
  through: Date | string | null;
  t: Date | string | null;
}

/**
 * The tier counts of every bucket from `first` on (null: all of them), in one statement: the
 * buckets the last tier refresh stored (before its `*_through`) read from `user_tiers_*`, the rest
 * counted live, a small join of the last hour or day. One statement sees one snapshot, so a
 * refresh that commits meanwhile can neither drop a bucket nor count it twice.
 */
export async function readTierSeries(
  db: Kysely<Database>,
  granularity: Granularity,
  first: Date | null,
): Promise<TierSeries> {
  const b = TIER_BUCKETS[granularity];
  const firstSql = first
    ? sql`${granularity === 'day' ? first.toISOString().slice(0, 10) : first.toISOString()}::${b.type}`
    : sql`'-infinity'::${b.type}`;
  const through = sql`coalesce(s.through, '-infinity'::${b.type})`;
  const col = sql.ref(b.column);
  const { rows } = await sql<Row>`
    with s as (select max(${sql.ref(b.through)}) as through from user_tier_refreshes)
    select s.through, x.* from s left join lateral (
      select ${col} as t, active_profiled, active_trusted, new_profiled, new_trusted
        from ${sql.table(b.stored)}
       where ${col} >= ${firstSql} and ${col} < ${through}
      union all
      ${tierBucketCounts(granularity, sql`greatest(${firstSql}, ${through})`, sql`'infinity'::${b.type}`)}
    ) x on true`.execute(db);
  const buckets = new Map<string, BucketTiers>();
  let liveFrom = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    if (r.through !== null) liveFrom = Date.parse(bucketIso(r.through));
    if (r.t === null) continue;
    buckets.set(bucketIso(r.t), {
      active_profiled: Number(r.active_profiled),
      active_trusted: Number(r.active_trusted),
      new_profiled: Number(r.new_profiled),
      new_trusted: Number(r.new_trusted),
    });
  }
  return { buckets, liveFrom };
}

/** The first bucket of a window's series (null: `all`, every bucket). */
export function firstSeriesBucket(window: RangeWindow): Date | null {
  if (!window.start) return null;
  return window.granularity === 'hour' ? truncHour(window.start) : truncDay(window.start);
}

/**
 * The tier series of several windows with one statement per bucket size, over the widest window
 * of that size; each window reads only its own buckets.
 */
export async function readTierSeriesOf(
  db: Kysely<Database>,
  windows: readonly RangeWindow[],
): Promise<TierSeries[]> {
  const widest = new Map<Granularity, Date | null>();
  for (const w of windows) {
    const first = firstSeriesBucket(w);
    const seen = widest.get(w.granularity);
    if (seen === undefined) widest.set(w.granularity, first);
    else widest.set(w.granularity, seen === null || first === null ? null : first < seen ? first : seen);
  }
  const series = new Map([...widest].map(([g, first]) => [g, readTierSeries(db, g, first)] as const));
  return Promise.all(windows.map((w) => series.get(w.granularity) as Promise<TierSeries>));
}

/** Profiled and trusted keys first seen in [`from`, `to`): the part of a first hour inside a window. */
export async function readNewTiersBetween(
  db: Kysely<Database>,
  from: Date,
  to: Date,
): Promise<{ profiled: number; trusted: number }> {
  const tiers = lookUpTiers('p');
  const { rows } = await sql<{ profiled: number | string; trusted: number | string }>`
    select count(*) filter (where profiled)::int as profiled, count(*) filter (where trusted)::int as trusted
      from (select coalesce(p.profiled, ${tiers.profiled}) as profiled, coalesce(p.trusted, ${tiers.trusted}) as trusted
              from pubkeys p
             where p.first_seen_at >= ${from.toISOString()}::timestamptz
               and p.first_seen_at < ${to.toISOString()}::timestamptz) k`.execute(db);
  return { profiled: Number(rows[0]?.profiled ?? 0), trusted: Number(rows[0]?.trusted ?? 0) };
}
