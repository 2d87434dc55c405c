import { describe, expect, it } from 'vitest';
import { RecheckPacer } from './recheck-pacer.js';

const profile = (pubkey: string, lud16: string | null = null) => ({ pubkey, lud16, lud06: null });

/** Asks, and counts what was due as checked (a flush that committed). */
const flushAt = (pacer: RecheckPacer, profiles: ReturnType<typeof profile>[], nowMs: number) => {
  const due = pacer.due(profiles, nowMs);
  pacer.checked(due);
  return due.map((d) => d.pubkey);
};

describe('RecheckPacer', () => {
  it('is due for a new or changed address, else once an interval', () => {
    const pacer = new RecheckPacer(300_000);
    expect(flushAt(pacer, [profile('a', 'a@x.com'), profile('b', 'b@x.com'), profile('c')], 0)).toEqual([
      'a',
      'b',
    ]);
    // Seen again in the next flushes with the same address: nothing to ask the provider anew.
    expect(flushAt(pacer, [profile('a', 'a@x.com'), profile('b', 'b@x.com')], 2_000)).toEqual([]);
    expect(flushAt(pacer, [profile('a', 'a@y.com'), profile('b', 'b@x.com')], 4_000)).toEqual(['a']);
    expect(flushAt(pacer, [profile('a', 'a@y.com'), profile('b', 'b@x.com')], 299_999)).toEqual([]);
    // The provider's failure is forgotten by now: its receipts are worth a new check.
    expect(flushAt(pacer, [profile('a', 'a@y.com'), profile('b', 'b@x.com')], 300_000)).toEqual(['b']);
    expect(flushAt(pacer, [profile('a', 'a@y.com')], 304_000)).toEqual(['a']);
  });

  it('counts a recheck as done only once it is marked checked', () => {
    const pacer = new RecheckPacer(300_000);
    // The flush that asked rolled back: the retry asks again.
    expect(pacer.due([profile('a', 'a@x.com')], 0).map((d) => d.pubkey)).toEqual(['a']);
    expect(pacer.due([profile('a', 'a@x.com')], 2_000).map((d) => d.pubkey)).toEqual(['a']);
    pacer.checked(pacer.due([profile('a', 'a@x.com')], 2_000));
    expect(pacer.due([profile('a', 'a@x.com')], 4_000)).toEqual([]);
  });

  it('forgets the recipients checked longest ago past its bound', () => {
    const pacer = new RecheckPacer(300_000, 2);
    flushAt(pacer, [profile('a', 'a@x.com')], 0);
    flushAt(pacer, [profile('b', 'b@x.com')], 1);
    flushAt(pacer, [profile('c', 'c@x.com')], 2);
    // `a` was dropped: due again at once; `c` is still remembered.
    expect(flushAt(pacer, [profile('a', 'a@x.com'), profile('c', 'c@x.com')], 3)).toEqual(['a']);
  });
});
