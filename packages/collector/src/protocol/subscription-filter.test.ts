import { FILTER_TOLERANCE_SECONDS, SUBSCRIPTION_GRACE_MS } from '@nostr-info/shared/nostr';
import { describe, expect, it } from 'vitest';
import { OpenSubscriptions, offFilterReason } from './subscription-filter.js';

const frame = (sub: string, spaced = false) =>
  Buffer.from(spaced ? `["EVENT" , "${sub}",{"id":"x"}]` : `["EVENT","${sub}",{"id":"x"}]`);

describe('OpenSubscriptions', () => {
  it('matches a frame to the subscription it came under, by its bytes or its parsed id', () => {
    const subs = new OpenSubscriptions();
    subs.open('ni1', { kinds: [1], since: 1000 }, 5_000_000);
    subs.open('ni1p1', { kinds: [1], since: 900, until: 950 }, 5_000_000);
    expect(subs.match(frame('ni1'), 5_000_000)?.id).toBe('ni1');
    expect(subs.match(frame('ni1p1', true), 5_000_000)?.id).toBe('ni1p1');
    expect(subs.match(frame('ni2'), 5_000_000)).toBeUndefined();
    expect(subs.match(frame('ni'), 5_000_000)).toBeUndefined();
    expect(subs.matchId('ni1p1', 5_000_000)?.id).toBe('ni1p1');
    expect(subs.matchId(7, 5_000_000)).toBeUndefined();
  });

  it('keeps a closed or replaced subscription for the grace period only', () => {
    const subs = new OpenSubscriptions();
    subs.open('ni1', {}, 0);
    subs.open('ni2', {}, 1000);
    subs.closeAllBut('ni2', 1000);
    expect(subs.match(frame('ni1'), 1000 + SUBSCRIPTION_GRACE_MS)?.id).toBe('ni1');
    expect(subs.match(frame('ni1'), 1001 + SUBSCRIPTION_GRACE_MS)).toBeUndefined();
    expect(subs.match(frame('ni2'), 10 * SUBSCRIPTION_GRACE_MS)?.id).toBe('ni2');
    subs.clear();
    expect(subs.match(frame('ni2'), 0)).toBeUndefined();
  });
});

describe('offFilterReason', () => {
  const subs = new OpenSubscriptions();
  const t = FILTER_TOLERANCE_SECONDS;
  // A page asked at 10,000 s for events up to 5,000.
  subs.open('p', { kinds: [0, 1], since: 2000, until: 5000 }, 10_000_000);
  const page = subs.matchId('p', 10_000_000);

  it('checks kind, then since, then until, each with the tolerance', () => {
    if (!page) throw new Error('no page');
    expect(offFilterReason(page, 4, 3000)).toBe('kind');
    expect(offFilterReason(page, 1, 2000 - t)).toBeUndefined();
    expect(offFilterReason(page, 1, 2000 - t - 1)).toBe('since');
    expect(offFilterReason(page, 1, 5000 + t)).toBeUndefined();
    expect(offFilterReason(page, 1, 5000 + t + 1)).toBe('until');
  });

  it('takes events created after the page was asked for as live traffic, not held to its until', () => {
    if (!page) throw new Error('no page');
    expect(offFilterReason(page, 1, 10_000 - t - 1)).toBe('until');
    expect(offFilterReason(page, 1, 10_000 - t)).toBeUndefined();
    expect(offFilterReason(page, 1, 20_000)).toBeUndefined();
  });
});
