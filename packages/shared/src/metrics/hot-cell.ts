import type { Counter } from 'prom-client';

/** A count kept in a plain number on the hot path; its counter takes it when the registry is read. */
export interface HotCell {
  n: number;
}

const hotCells = new WeakMap<object, { labels: Record<string, string>; cell: HotCell }[]>();

/**
 * `collect` hook of a counter with hot cells: adds what the cells counted since the last read.
 * A labelled `inc` (also through a `labels()` child) hashes and validates its label object on
 * every call, which the request path should not pay for.
 */
export function collectHotCells(this: Counter<string>): void {
  for (const { labels, cell } of hotCells.get(this) ?? []) {
    if (cell.n === 0) continue;
    this.inc(labels, cell.n);
    cell.n = 0;
  }
}

/**
 * A cell counting into `counter` under `labels` (create once per label set, then `cell.n++`).
 * The counter must have been created with `collect: collectHotCells`.
 */
export function hotCell<L extends string>(counter: Counter<L>, labels: Record<L, string>): HotCell {
  let cells = hotCells.get(counter);
  if (!cells) {
    cells = [];
    hotCells.set(counter, cells);
  }
  const cell = { n: 0 };
  cells.push({ labels, cell });
  return cell;
}
