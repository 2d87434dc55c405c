import { type RawBuilder, sql } from 'kysely';
import { dayString, type RangeWindow } from './range-window.js';

/**
 * Table and bound of a window, for every query of a range. Hour ranges read the hourly tables,
 * day ranges the daily ones: cost follows the window's bucket count, never the length of history.
 * `all` uses `-infinity` so one statement shape serves every range.
 */
export function windowBounds(window: RangeWindow) {
  const hourly = window.granularity === 'hour';
  /** The window's start as a time (first/last-seen columns). */
  const time: RawBuilder<unknown> = window.start
    ? sql`${window.start.toISOString()}::timestamptz`
    : sql`'-infinity'::timestamptz`;
  /** The bucket column of the tables the window reads, and its first bucket. */
  const bucket = hourly ? sql.ref('hour') : sql.ref('day');
  const bucketStart: RawBuilder<unknown> = hourly
    ? time
    : window.start
      ? sql`${dayString(window.start)}::date`
      : sql`'-infinity'::date`;
  /** The hourly or the daily table, named apart. */
  const t = (hourlyTable: string, dailyTable: string) => sql.table(hourly ? hourlyTable : dailyTable);
  /** `<name>_hourly` or `<name>_daily`. */
  const table = (name: string) => t(`${name}_hourly`, `${name}_daily`);
  return { time, bucket, bucketStart, t, table };
}
