import { type RawBuilder, sql } from 'kysely';
import { COUNTER_TABLES, type CounterName } from './counter-tables.js';
import { dayString, type RangeWindow, truncHour } from './range-window.js';

const HOUR_MS = 3_600_000;

/** The part of a window's first hour that lies inside it, when the window starts inside an hour. */
export interface PartialHour {
  /** The hour bucket (the series point it belongs to). */
  hour: Date;
  /** The window's start: the part runs from here to `to` (exclusive). */
  from: Date;
  /** The next hour: the first one wholly inside the window. */
  to: Date;
}

const ts = (t: Date): RawBuilder<unknown> => sql`${t.toISOString()}::timestamptz`;

/**
 * Bounds and rows of a window, for every query of a range. Hour ranges read the hourly tables, day
 * ranges the daily ones: cost follows the window's bucket count, never the length of history. A
 * window that starts inside an hour (`24h`) reads that hour's part from the 5-minute tables.
 * `all` uses `-infinity` so one statement shape serves every range.
 */
export function windowBounds(window: RangeWindow) {
  const { start } = window;
  const hourly = window.granularity === 'hour';
  /** The window's start as a time (first/last-seen columns). */
  const time: RawBuilder<unknown> = start ? ts(start) : sql`'-infinity'::timestamptz`;
  const firstHour = start && hourly ? truncHour(start) : null;
  const partial: PartialHour | null =
    start && firstHour && firstHour.getTime() < start.getTime()
      ? { hour: firstHour, from: start, to: new Date(firstHour.getTime() + HOUR_MS) }
      : null;
  /** First bucket whose whole row is inside the window. */
  const wholeFrom: RawBuilder<unknown> = !start
    ? sql`'-infinity'::date`
    : hourly
      ? ts(partial ? partial.to : start)
      : sql`${dayString(start)}::date`;

  /**
   * The window's rows of `name` as a derived table `r`: `t`, the start of the series bucket a row
   * belongs to (hour or day; a 5-minute row of the partial first hour carries that hour), and the
   * counter's columns.
   */
  const rows = (name: CounterName): RawBuilder<unknown> => {
    const c = COUNTER_TABLES[name];
    const columns = sql.join(c.columns.map((col) => sql.ref(col)));
    if (!hourly) {
      return sql`(select day as t, ${columns} from ${sql.table(c.daily)} where day >= ${wholeFrom}) r`;
    }
    const whole = sql`select hour as t, ${columns} from ${sql.table(c.hourly)} where hour >= ${wholeFrom}`;
    if (!partial) return sql`(${whole}) r`;
    return sql`(${whole}
      union all
      select ${ts(partial.hour)} as t, ${columns} from ${sql.table(c.slots)}
       where bucket >= ${ts(partial.from)} and bucket < ${ts(partial.to)}) r`;
  };

  /** First series bucket, for tables kept per hour or day only (`user_activity_*`). */
  const firstBucket: RawBuilder<unknown> = firstHour ? ts(firstHour) : wholeFrom;

  return { time, partial, firstBucket, rows };
}

/**
 * What a one-pass count over several windows reads: each window's start as a time (its bound in
 * `count(*) filter (where … >= time)`) and the widest start (the pass's `where`).
 */
export function passBounds(windows: readonly RangeWindow[]): {
  bounds: RawBuilder<unknown>[];
  widest: RawBuilder<unknown>;
} {
  return { bounds: windows.map((w) => windowBounds(w).time), widest: widestStart(windows) };
}

/** The earliest start among `windows`, as a time (`-infinity` when one is `all`). */
function widestStart(windows: readonly RangeWindow[]): RawBuilder<unknown> {
  const starts = windows.map((w) => w.start);
  if (starts.some((s) => s === null)) return sql`'-infinity'::timestamptz`;
  return ts(new Date(Math.min(...starts.map((s) => s?.getTime() ?? 0))));
}
