import { matchFilter } from './filter.js';
import type { StoredCopy } from './relay-conn.js';
import type { Filter } from './types.js';

const newestFirst = (a: StoredCopy, b: StoredCopy): number =>
  b.ev.created_at - a.ev.created_at || b.index - a.index;

/**
 * The stored copies a REQ replays before EOSE: for each filter its newest matches up to its `limit`
 * (and never more than `historyLimit`), each copy once, newest first.
 */
export function replaySelection(
  history: readonly StoredCopy[],
  filters: readonly Filter[],
  historyLimit: number,
): StoredCopy[] {
  const chosen = new Map<number, StoredCopy>();
  for (const f of filters) {
    const limit = Math.min(typeof f.limit === 'number' ? f.limit : Infinity, historyLimit);
    const matched: StoredCopy[] = [];
    for (const copy of history) if (matchFilter(f, copy.ev)) matched.push(copy);
    matched.sort(newestFirst);
    for (const copy of matched.slice(0, limit)) chosen.set(copy.index, copy);
  }
  return [...chosen.values()].sort(newestFirst);
}
