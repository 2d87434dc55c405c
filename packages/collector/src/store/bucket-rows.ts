import { dayOf } from '../aggregate/buckets.js';
import { sumBy } from './chunks.js';

/** A buffered counter row: its UTC hour bucket and the 5-minute slot within it. */
interface Bucketed {
  hour: string;
  slot: string;
}

/** One buffered counter summed per 5-minute slot, per hour and per UTC day. */
export interface BucketRows<T> {
  slots: T[];
  hours: T[];
  days: (T & { day: string })[];
}

/**
 * Sums the buffered rows of one counter per slot, per hour and per day (rows sharing `keyOf` and a
 * bucket add up with `add`), each list in key order so every writer locks rows in the same order.
 * The buffer keeps rows per slot; the hour and day rows are their sums.
 */
export function byBucket<T extends Bucketed>(
  rows: Iterable<T>,
  keyOf: (row: T) => string,
  add: (into: T, from: T) => void,
): BucketRows<T> {
  const slots = sumBy(rows, (r) => `${r.slot}|${keyOf(r)}`, add);
  const hours = sumBy(slots, (r) => `${r.hour}|${keyOf(r)}`, add);
  const days = sumBy(
    hours.map((r) => ({ ...r, day: dayOf(r.hour) })),
    (r) => `${r.day}|${keyOf(r)}`,
    add,
  );
  return { slots, hours, days };
}
