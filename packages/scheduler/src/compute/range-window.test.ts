import { describe, expect, it } from 'vitest';
import { bucketStarts, rangeWindow } from './range-window.js';

const now = new Date('2026-11-24T12:30:00.000Z');

describe('rangeWindow', () => {
  it('starts each range at its documented edge', () => {
    expect(rangeWindow('24h', now).start?.toISOString()).toBe('2026-11-23T13:00:00.000Z');
    expect(rangeWindow('7d', now).start?.toISOString()).toBe('2026-11-17T13:00:00.000Z');
    expect(rangeWindow('30d', now).start?.toISOString()).toBe('2026-10-26T00:00:00.000Z');
    expect(rangeWindow('90d', now).start?.toISOString()).toBe('2026-08-27T00:00:00.000Z');
    expect(rangeWindow('all', now).start).toBeNull();
  });

  it('keeps an event 24 h 1 s ago out of 24h, and one at the edge hour in', () => {
    const start = rangeWindow('24h', now).start?.getTime() ?? 0;
    expect(now.getTime() - 24 * 3_600_000 - 1000).toBeLessThan(start);
    // At xx:00:00 exactly the window is a full 24 hours: 24 h ago is the first bucket.
    const onTheHour = new Date('2026-11-24T12:00:00.000Z');
    expect(rangeWindow('24h', onTheHour).start?.toISOString()).toBe('2026-11-23T13:00:00.000Z');
  });

  it('lists 24, 168, 30 and 90 buckets, oldest first, ending with the current one', () => {
    for (const [range, n, last] of [
      ['24h', 24, '2026-11-24T12:00:00.000Z'],
      ['7d', 168, '2026-11-24T12:00:00.000Z'],
      ['30d', 30, '2026-11-24T00:00:00.000Z'],
      ['90d', 90, '2026-11-24T00:00:00.000Z'],
    ] as const) {
      const buckets = bucketStarts(rangeWindow(range, now));
      expect(buckets).toHaveLength(n);
      expect(buckets.at(-1)?.toISOString()).toBe(last);
      expect(buckets[0]?.toISOString()).toBe(rangeWindow(range, now).start?.toISOString());
    }
  });

  it('opens the all series on the first day with data, or today without data', () => {
    const all = rangeWindow('all', now);
    expect(
      bucketStarts(all, new Date('2026-11-20T00:00:00Z')).map((d) => d.toISOString().slice(0, 10)),
    ).toEqual(['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24']);
    expect(bucketStarts(all, null)).toHaveLength(1);
  });
});
