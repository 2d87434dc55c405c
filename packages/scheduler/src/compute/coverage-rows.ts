import type { Database } from '@nostr-info/shared/db';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { CoverageRows } from './coverage.js';
import { dayString, type RangeWindow } from './range-window.js';
import { windowBounds } from './window-bounds.js';

const ts = (t: Date) => sql`${t.toISOString()}::timestamptz`;

/**
 * Per bucket of the window, the longest one relay was observed: whole buckets straight from the
 * hour or day rows (one row per relay and bucket), the partial first hour of `24h` from its
 * 5-minute rows summed per relay first.
 */
type BucketRow = { t: Date | string; observed_ms: number };

function observedPerBucket(window: RangeWindow): RawBuilder<BucketRow> {
  const { partial } = windowBounds(window);
  const { start } = window;
  if (window.granularity === 'day') {
    const from = start ? sql`where day >= ${dayString(start)}::date` : sql``;
    return sql<BucketRow>`select day as t, max(observed_ms)::bigint as observed_ms from relay_health_daily ${from} group by day`;
  }
  const wholeFrom = partial ? partial.to : start;
  const whole = sql<BucketRow>`select hour as t, max(observed_ms)::bigint as observed_ms from relay_health_hourly
    ${wholeFrom ? sql`where hour >= ${ts(wholeFrom)}` : sql``} group by hour`;
  if (!partial) return whole;
  return sql<BucketRow>`${whole}
    union all
    select ${ts(partial.hour)} as t, max(o)::bigint as observed_ms
      from (select relay_id, sum(observed_ms) as o from relay_health_5m
             where bucket >= ${ts(partial.from)} and bucket < ${ts(partial.to)} group by relay_id) x
    having count(*) > 0`;
}

/** A bucket value as a Date: hours come back as Date, days as `YYYY-MM-DD` (node-postgres) or Date (PGlite). */
const asDate = (t: Date | string): Date => (t instanceof Date ? t : new Date(`${t}T00:00:00.000Z`));

/** Reads what `coverageOf` needs for `window`: first observed hour and day, per-bucket observation, backfills. */
export async function readCoverageRows(
  db: Kysely<Database>,
  window: RangeWindow,
  relaysWatched: number,
): Promise<CoverageRows> {
  const [first, buckets, backfill] = await Promise.all([
    sql<{ hour: Date | null; hour_ms: number | null; day: Date | string | null; day_ms: number | null }>`
      select fh.hour,
             (select max(observed_ms) from relay_health_hourly where hour = fh.hour)::bigint as hour_ms,
             fd.day,
             (select max(observed_ms) from relay_health_daily where day = fd.day)::bigint as day_ms
        from (select min(hour) as hour from relay_health_hourly where observed_ms > 0) fh,
             (select min(day) as day from relay_health_daily where observed_ms > 0) fd`.execute(db),
    observedPerBucket(window).execute(db),
    sql<{ since: Date | null }>`select min(since) as since from backfill_runs where complete`.execute(db),
  ]);
  const f = first.rows[0];
  return {
    firstHour: f?.hour ? { hour: asDate(f.hour), observedMs: Number(f.hour_ms ?? 0) } : null,
    firstDay: f?.day ? { day: asDate(f.day), observedMs: Number(f.day_ms ?? 0) } : null,
    buckets: buckets.rows.map((b) => ({ t: asDate(b.t), observedMs: Number(b.observed_ms) })),
    backfillSince: backfill.rows[0]?.since ?? null,
    relaysWatched,
  };
}
