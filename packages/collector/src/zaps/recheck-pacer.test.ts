import { describe, expect, it } from 'vitest';
import { RecheckPacer } from './recheck-pacer.js';

const profile = (pubkey: string, lud16: string | null = null) => ({ pubkey, lud16, lud06: null });

describe('RecheckPacer', () => {
  it('is due for a new or changed address, else once an interval', () => {
    const pacer = new RecheckPacer(300_000);
    expect(pacer.due([profile('a', 'a@x.com'), profile('b', 'b@x.com'), profile('c')], 0)).toEqual([
      'a',
      'b',
    ]);
    // Seen again in the next flushes with the same address: nothing to ask the provider anew.
    expect(pacer.due([profile('a', 'a@x.com'), profile('b', 'b@x.com')], 2_000)).toEqual([]);
    expect(pacer.due([profile('a', 'a@y.com'), profile('b', 'b@x.com')], 4_000)).toEqual(['a']);
    expect(pacer.due([profile('a', 'a@y.com'), profile('b', 'b@x.com')], 299_999)).toEqual([]);
    // The provider's failure is forgotten by now: its receipts are worth a new check.
    expect(pacer.due([profile('a', 'a@y.com'), profile('b', 'b@x.com')], 300_000)).toEqual(['b']);
    expect(pacer.due([profile('a', 'a@y.com')], 304_000)).toEqual(['a']);
  });

  it('forgets the recipients checked longest ago past its bound', () => {
    const pacer = new RecheckPacer(300_000, 2);
    pacer.due([profile('a', 'a@x.com')], 0);
    pacer.due([profile('b', 'b@x.com')], 1);
    pacer.due([profile('c', 'c@x.com')], 2);
    // `a` was dropped: due again at once; `c` is still remembered.
    expect(pacer.due([profile('a', 'a@x.com'), profile('c', 'c@x.com')], 3)).toEqual(['a']);
  });
});
