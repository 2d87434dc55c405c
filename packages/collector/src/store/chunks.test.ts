import { describe, expect, it } from 'vitest';
import { chunkByWeight, chunkRows, MAX_PARAMS, sumBy } from './chunks.js';

describe('chunkRows', () => {
  it('keeps every statement under the parameter limit', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => i);
    const chunks = chunkRows(rows, 11, 100_000);
    for (const c of chunks) expect(c.length * 11).toBeLessThan(MAX_PARAMS);
    expect(chunks.flat()).toHaveLength(100_000);
  });
});

describe('chunkByWeight', () => {
  it('closes a chunk once its weight reaches the bound or its rows the limit, never splitting a row', () => {
    const weights = [100, 100, 50, 300, 10, 10, 10, 10, 10];
    const chunks = chunkByWeight(weights, (w) => w, 200, 3);
    // 100+100 reaches 200; 50 stays under and takes the 300 row; then three rows at most.
    expect(chunks).toEqual([
      [100, 100],
      [50, 300],
      [10, 10, 10],
      [10, 10],
    ]);
    expect(chunkByWeight([500], (w) => w, 200, 3)).toEqual([[500]]);
    expect(chunkByWeight([], (w: number) => w, 200, 3)).toEqual([]);
  });
});

describe('sumBy', () => {
  it('never leaves one conflict key twice, and sorts by key', () => {
    const rows = [
      { k: 'b', n: 1 },
      { k: 'a', n: 2 },
      { k: 'b', n: 3 },
    ];
    const out = sumBy(
      rows,
      (r) => r.k,
      (a, b) => {
        a.n += b.n;
      },
    );
    expect(out).toEqual([
      { k: 'a', n: 2 },
      { k: 'b', n: 4 },
    ]);
    expect(rows[0]).toEqual({ k: 'b', n: 1 });
  });
});
