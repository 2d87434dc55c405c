import { describe, expect, it } from 'vitest';
import { makeEvent } from './fixtures.js';
import { ReplaceableTally } from './replaceable-tally.js';

const ev = (kind: number, keyIndex: number, created_at: number, content = '') =>
  makeEvent({ kind, keyIndex, created_at, content });

describe('ReplaceableTally', () => {
  it('keeps the newest event per kind and author', () => {
    const tally = new ReplaceableTally();
    const newer = ev(0, 0, 20);
    tally.add(ev(0, 0, 10));
    tally.add(newer);
    tally.add(ev(0, 0, 15));
    const { replaceable } = tally.result();
    expect(replaceable[`0:${newer.pubkey}`]).toEqual({ id: newer.id, created_at: 20 });
  });

  it('breaks a created_at tie towards the lowest id (NIP-01), whatever the order seen', () => {
    const a = ev(3, 1, 50, 'a');
    const b = ev(3, 1, 50, 'b');
    const lowest = a.id < b.id ? a : b;
    for (const order of [
      [a, b],
      [b, a],
    ]) {
      const tally = new ReplaceableTally();
      for (const e of order) tally.add(e);
      expect(tally.result().replaceable[`3:${a.pubkey}`]?.id).toBe(lowest.id);
    }
  });

  it('counts authors per kind for kinds 0, 3 and 10002 only', () => {
    const tally = new ReplaceableTally();
    for (const kind of [0, 3, 10002, 1, 30023]) tally.add(ev(kind, 2, 1));
    tally.add(ev(10002, 3, 1));
    expect(tally.result().replaceableByKind).toEqual({ 0: 1, 3: 1, 10002: 2 });
  });
});
