import { describe, expect, it } from 'vitest';
import { bucketStarts, rangeWindow } from './range-window.js';

const now = new Date('2026-11-24T12:30:00.000Z');

describe('rangeWindow', () => {
  it('starts each range at its documented edge', () => {
    expect(rangeWindow('24h', now).start?.toISOString()).toBe('2026-11-23T12:30:00.000Z');
    expect(rangeWindow('7d', now).start?.toISOString()).toBe('2026-11-17T13:00:00.000Z');
    expect(rangeWindow('30d', now).start?.toISOString()).toBe('2026-10-26T00:00:00.000Z');
    expect(rangeWindow('90d', now).start?.toISOString()).toBe('2026-08-27T00:00:00.000Z');
    expect(rangeWindow('all', now).start).toBeNull();
  });

  it('makes 24h a rolling window of 24 h to 24 h 5 min, starting on a 5-minute slot', () => {
    for (const at of ['2026-11-24T12:30:00.000Z', '2026-11-24T12:34:59.999Z', '2026-11-24T13:00:01.000Z']) {
      const t = new Date(at);
      const start = rangeWindow('24h', t).start?.getTime() ?? 0;
      expect(start % 300_000).toBe(0);
      expect(t.getTime() - start).toBeGreaterThanOrEqual(24 * 3_600_000);
      expect(t.getTime() - start).toBeLessThan(24 * 3_600_000 + 300_000);
    }
    // 24 h ago is in; 24 h 5 min ago is always out.
    const start = rangeWindow('24h', new Date('2026-11-24T12:34:59.999Z')).start;
    expect(start?.toISOString()).toBe('2026-11-23T12:30:00.000Z');
  });

  it('keeps an event 24 h 1 s ago out of 24h when the window starts 24 h ago', () => {
    const start = rangeWindow('24h', now).start?.getTime() ?? 0;
    expect(now.getTime() - 24 * 3_600_000 - 1000).toBeLessThan(start);
    expect(now.getTime() - 24 * 3_600_000).toBe(start);
  });

  it('lists 25, 168, 30 and 90 buckets, oldest first, ending with the current one', () => {
    for (const [range, n, last] of [
      ['24h', 25, '2026-11-24T12:00:00.000Z'],
      ['7d', 168, '2026-11-24T12:00:00.000Z'],
      ['30d', 30, '2026-11-24T00:00:00.000Z'],
      ['90d', 90, '2026-11-24T00:00:00.000Z'],
    ] as const) {
      const buckets = bucketStarts(rangeWindow(range, now));
      expect(buckets).toHaveLength(n);
      expect(buckets.at(-1)?.toISOString()).toBe(last);
    }
    // Hour and day ranges open on their start; 24h on the hour holding it (partly in the window).
    expect(bucketStarts(rangeWindow('7d', now))[0]?.toISOString()).toBe('2026-11-17T13:00:00.000Z');
    expect(bucketStarts(rangeWindow('30d', now))[0]?.toISOString()).toBe('2026-10-26T00:00:00.000Z');
    expect(bucketStarts(rangeWindow('24h', now))[0]?.toISOString()).toBe('2026-11-23T12:00:00.000Z');
  });

  it('opens the all series on the first day with data, or today without data', () => {
    const all = rangeWindow('all', now);
    expect(
      bucketStarts(all, new Date('2026-11-20T00:00:00Z')).map((d) => d.toISOString().slice(0, 10)),
    ).toEqual(['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24']);
    expect(bucketStarts(all, null)).toHaveLength(1);
  });
});
