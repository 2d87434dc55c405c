import type { StatsRange } from '@nostr-info/shared/stats';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The time window of one range, fixed at `now`.
 *
 * Edge rule (every section uses it, so figures agree with each other):
 * - `24h` and `7d` are hour ranges: the 24 (or 168) UTC hour buckets ending with the current,
 *   partial hour. `start = date_trunc('hour', now) - 23 h` (or `- 167 h`); a row counts when its
 *   `hour >= start`, a first/last-seen time when it is `>= start`. The window is therefore between
 *   23 and 24 hours long: anything 24 h (or more) ago is always out, e.g. an event 24 h 1 s ago.
 * - `30d` and `90d` are day ranges: the 30 (or 90) UTC dates ending today,
 *   `start = current_date - 29` (or `- 89`) at 00:00 UTC.
 * - `all` has no lower bound (`start = null`); its series starts on the first day with data.
 */
export interface RangeWindow {
  range: StatsRange;
  granularity: 'hour' | 'day';
  /** The run's clock. */
  now: Date;
  /** Inclusive lower bound, at a bucket boundary; null for `all`. */
  start: Date | null;
  /** Bucket that holds `now` (the series' last point). */
  lastBucket: Date;
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

const BUCKETS: Record<Exclude<StatsRange, 'all'>, { granularity: 'hour' | 'day'; count: number }> = {
  '24h': { granularity: 'hour', count: 24 },
  '7d': { granularity: 'hour', count: 7 * 24 },
  '30d': { granularity: 'day', count: 30 },
  '90d': { granularity: 'day', count: 90 },
};

/** The window of `range` at `now` (see the edge rule on `RangeWindow`). */
export function rangeWindow(range: StatsRange, now: Date): RangeWindow {
  if (range === 'all') return { range, granularity: 'day', now, start: null, lastBucket: truncDay(now) };
  const { granularity, count } = BUCKETS[range];
  const step = granularity === 'hour' ? HOUR_MS : DAY_MS;
  const lastBucket = granularity === 'hour' ? truncHour(now) : truncDay(now);
  return { range, granularity, now, start: new Date(lastBucket.getTime() - (count - 1) * step), lastBucket };
}

/**
 * Every bucket start of the window, oldest first. For `all`, `firstDay` (the first day with data)
 * opens the series; with no data at all the series is today alone.
 */
export function bucketStarts(window: RangeWindow, firstDay?: Date | null): Date[] {
  const step = window.granularity === 'hour' ? HOUR_MS : DAY_MS;
  const first = window.start ?? (firstDay ? truncDay(firstDay) : window.lastBucket);
  const out: Date[] = [];
  for (let t = first.getTime(); t <= window.lastBucket.getTime(); t += step) out.push(new Date(t));
  return out;
}
