import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import { dayString, truncDay, truncHour } from '../compute/range-window.js';
import { type Granularity, TIER_BUCKETS, tierBucketCounts } from '../compute/tier-buckets.js';
import { ACTIVE_USERS_DAILY_DAYS, ACTIVE_USERS_HOURLY_DAYS } from '../store/retention.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * How long after a bucket ends its rows are taken as complete: collectors flush every 10 s, so a
 * few minutes leave room for a slow flush. A row that lands later still is counted by the next refresh.
 */
const SETTLE_MS = 5 * 60_000;

/** Where the stored buckets end: the statistics run counts those from here on. */
export interface TierBucketsThrough {
  hoursThrough: Date;
  daysThrough: string;
}

/**
 * Counts the tiers of every finished bucket whose per-key rows retention still keeps (8 days of
 * hours, 91 of days) into `user_tiers_hourly` / `user_tiers_daily`, zero where no key was active
 * or new, so each refresh applies the tiers it just wrote to all of them. Older rows stay as the
 * last refresh that could count them left them. Runs inside the caller's transaction, which also
 * records the returned bounds, so a reader sees the buckets and the bounds together.
 */
export async function storeTierBuckets(db: Kysely<Database>, now: Date): Promise<TierBucketsThrough> {
  const settled = new Date(now.getTime() - SETTLE_MS);
  const hoursThrough = truncHour(settled);
  const daysThrough = truncDay(settled);
  await store(
    db,
    'hour',
    new Date(truncHour(now).getTime() - ACTIVE_USERS_HOURLY_DAYS * DAY_MS),
    hoursThrough,
  );
  await store(db, 'day', new Date(truncDay(now).getTime() - ACTIVE_USERS_DAILY_DAYS * DAY_MS), daysThrough);
  return { hoursThrough, daysThrough: dayString(daysThrough) };
}

async function store(
  db: Kysely<Database>,
  granularity: Granularity,
  from: Date,
  through: Date,
): Promise<void> {
  const b = TIER_BUCKETS[granularity];
  const step = granularity === 'hour' ? HOUR_MS : DAY_MS;
  const count = Math.round((through.getTime() - from.getTime()) / step);
  if (count <= 0) return;
  const at = (t: Date) =>
    granularity === 'hour' ? sql`${t.toISOString()}::timestamptz` : sql`${dayString(t)}::date`;
  const bucket = granularity === 'hour' ? sql`${at(from)} + k * interval '1 hour'` : sql`${at(from)} + k`;
  const col = sql.ref(b.column);
  await sql`
    insert into ${sql.table(b.stored)} (${col}, active_profiled, active_trusted, new_profiled, new_trusted)
    select g.t, coalesce(c.active_profiled, 0), coalesce(c.active_trusted, 0),
           coalesce(c.new_profiled, 0), coalesce(c.new_trusted, 0)
      from (select ${bucket} as t from generate_series(0, ${count - 1}::int) k) g
      left join (${tierBucketCounts(granularity, at(from), at(through))}) c on c.t = g.t
     order by g.t
    on conflict (${col}) do update
       set active_profiled = excluded.active_profiled, active_trusted = excluded.active_trusted,
           new_profiled = excluded.new_profiled, new_trusted = excluded.new_trusted`.execute(db);
}
