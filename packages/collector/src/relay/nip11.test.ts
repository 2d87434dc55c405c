import { describe, expect, it } from 'vitest';
import { nip11Changes, nip11RefreshDue, parseRelayInfo } from './nip11.js';

const base = { now: 1_000_000, refreshMs: 21_600_000, minGapMs: 60_000 };

describe('nip11RefreshDue', () => {
  it('fetches a document never fetched, and one older than the refresh interval', () => {
    const fresh = { ...base, fetchedAt: null, startedAt: 0, socketsOpened: 0, socketsOpenedAtFetch: 0 };
    expect(nip11RefreshDue(fresh)).toBe(true);
    const recent = { ...fresh, fetchedAt: base.now - 1000, socketsOpened: 1 };
    expect(nip11RefreshDue(recent)).toBe(false);
    expect(nip11RefreshDue({ ...recent, fetchedAt: base.now - base.refreshMs })).toBe(true);
  });

  it('fetches again after a reconnect, not after the first connect, and not twice per flap', () => {
    const fetched = {
      ...base,
      fetchedAt: base.now - 120_000,
      startedAt: base.now - 120_000,
      socketsOpened: 1,
      socketsOpenedAtFetch: 0,
    };
    // The first socket (opened after the first fetch started) is no reconnect.
    expect(nip11RefreshDue(fetched)).toBe(false);
    expect(nip11RefreshDue({ ...fetched, socketsOpened: 2 })).toBe(true);
    // Fetched after that reconnect: nothing new until the next one.
    expect(nip11RefreshDue({ ...fetched, socketsOpened: 2, socketsOpenedAtFetch: 2 })).toBe(false);
    expect(nip11RefreshDue({ ...fetched, socketsOpened: 3, socketsOpenedAtFetch: 2 })).toBe(true);
    // A reconnect within the gap of the last fetch waits for the gap, then is served.
    const soon = { ...fetched, socketsOpened: 3, socketsOpenedAtFetch: 2, startedAt: base.now - 10_000 };
    expect(nip11RefreshDue(soon)).toBe(false);
    expect(nip11RefreshDue({ ...soon, now: base.now + 50_000 })).toBe(true);
  });
});

describe('nip11Changes', () => {
  const doc = (d: Record<string, unknown>) => parseRelayInfo(d);

  it('compares tracked fields only, NIPs as a set and objects by content', () => {
    const a = doc({ name: 'A', supported_nips: [1, 11], limitation: { a: 1, b: 2 }, description: 'x' });
    expect(
      nip11Changes(
        a,
        doc({ name: 'A', supported_nips: [11, 1, 1], limitation: { b: 2, a: 1 }, description: 'y' }),
      ),
    ).toEqual([]);
    expect(nip11Changes(a, doc({ name: 'B', supported_nips: [1], fees: { admission: [] } }))).toEqual([
      { field: 'name', from: 'A', to: 'B' },
      { field: 'supported_nips', from: [1, 11], to: [1] },
      { field: 'limitation', from: { a: 1, b: 2 }, to: null },
      { field: 'fees', from: null, to: { admission: [] } },
    ]);
  });
});
