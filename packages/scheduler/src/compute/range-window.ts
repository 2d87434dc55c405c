import type { StatsRange } from '@nostr-info/shared/stats';

const SLOT_MS = 300_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The time window of one range, fixed at `now`.
 *
 * Edge rule (every section uses it, so figures agree with each other):
 * - `24h` is rolling: it starts 24 hours before the start of the 5-minute slot holding `now`,
 *   `start = floor5min(now) - 24 h`, and runs to `now`, so it is 24 h to 24 h 5 min long. Whole hours
 *   come from the hourly tables, the partial hour at the old edge from the 5-minute tables
 *   (`bucket >= start`); first/last-seen times count when they are `>= start`. Its series keeps
 *   hourly points: the first is the hour holding `start`, of which only the part from `start` on
 *   is in the window (an event 24 h 5 min ago or more is always out).
 * - `7d` is an hour range: the 168 UTC hour buckets ending with the current, partial hour,
 *   `start = date_trunc('hour', now) - 167 h`, so it is between 167 and 168 hours long.
 * - `30d` and `90d` are day ranges: the 30 (or 90) UTC dates ending today,
 *   `start = current_date - 29` (or `- 89`) at 00:00 UTC.
 * - `all` has no lower bound (`start = null`); its series starts on the first day with data.
 */
export interface RangeWindow {
  range: StatsRange;
  granularity: 'hour' | 'day';
  /** The run's clock. */
  now: Date;
  /** Inclusive lower bound (a slot, hour or day boundary); null for `all`. */
  start: Date | null;
  /** Bucket that holds `now` (the series' last point). */
  lastBucket: Date;
}

/** Start of the UTC 5-minute slot holding `t`. */
export function truncSlot(t: Date): Date {
  return new Date(Math.floor(t.getTime() / SLOT_MS) * SLOT_MS);
}

/** Start of the UTC hour holding `t`. */
export function truncHour(t: Date): Date {
  return new Date(Math.floor(t.getTime() / HOUR_MS) * HOUR_MS);
}

/** 00:00 UTC of the date holding `t`. */
export function truncDay(t: Date): Date {
  return new Date(Math.floor(t.getTime() / DAY_MS) * DAY_MS);
}

/** `YYYY-MM-DD` of a UTC date. */
export function dayString(t: Date): string {
  return t.toISOString().slice(0, 10);
}

const BUCKETS: Record<Exclude<StatsRange, 'all' | '24h'>, { granularity: 'hour' | 'day'; count: number }> = {
  '7d': { granularity: 'hour', count: 7 * 24 },
  '30d': { granularity: 'day', count: 30 },
  '90d': { granularity: 'day', count: 90 },
};

/** The window of `range` at `now` (see the edge rule on `RangeWindow`). */
export function rangeWindow(range: StatsRange, now: Date): RangeWindow {
  if (range === 'all') return { range, granularity: 'day', now, start: null, lastBucket: truncDay(now) };
  if (range === '24h') {
    const start = new Date(truncSlot(now).getTime() - DAY_MS);
    return { range, granularity: 'hour', now, start, lastBucket: truncHour(now) };
  }
  const { granularity, count } = BUCKETS[range];
  const step = granularity === 'hour' ? HOUR_MS : DAY_MS;
  const lastBucket = granularity === 'hour' ? truncHour(now) : truncDay(now);
  return { range, granularity, now, start: new Date(lastBucket.getTime() - (count - 1) * step), lastBucket };
}

/**
 * Every bucket start of the window, oldest first; the first is the bucket holding `start` (for
 * `24h`, an hour only partly inside the window). For `all`, `firstDay` (the first day with data)
 * opens the series; with no data at all the series is today alone.
 */
export function bucketStarts(window: RangeWindow, firstDay?: Date | null): Date[] {
  const hourly = window.granularity === 'hour';
  const step = hourly ? HOUR_MS : DAY_MS;
  const truncBucket = hourly ? truncHour : truncDay;
  const first = window.start ? truncBucket(window.start) : firstDay ? truncDay(firstDay) : window.lastBucket;
  const out: Date[] = [];
  for (let t = first.getTime(); t <= window.lastBucket.getTime(); t += step) out.push(new Date(t));
  return out;
}
