import { describe, expect, it } from 'vitest';
import { applyCoverage, type CoverageRows, collectionStart, coverageOf } from './coverage.js';
import { rangeWindow } from './range-window.js';

const H = 3_600_000;
const at = (iso: string) => new Date(iso);
const NOW = at('2026-12-06T12:30:00Z');

/** Rows of a deployment whose collector started at 09:40 today and watched one relay since. */
const rows = (over: Partial<CoverageRows> = {}): CoverageRows => ({
  firstHour: { hour: at('2026-12-06T09:00:00Z'), observedMs: H / 3 },
  firstDay: { day: at('2026-12-06T00:00:00Z'), observedMs: 2 * H + H / 3 + H / 2 },
  buckets: [
    { t: at('2026-12-06T09:00:00Z'), observedMs: H / 3 },
    { t: at('2026-12-06T10:00:00Z'), observedMs: H },
    // An outage: only half of 11:00 observed.
    { t: at('2026-12-06T11:00:00Z'), observedMs: H / 2 },
    { t: at('2026-12-06T12:00:00Z'), observedMs: H / 2 },
  ],
  backfillSince: null,
  relaysWatched: 7,
  ...over,
});

describe('collectionStart', () => {
  it('is the end of the first observed hour less the longest a relay was observed in it', () => {
    expect(collectionStart(rows())).toEqual(at('2026-12-06T09:40:00Z'));
  });

  it('falls back to the first day once its hours are pruned', () => {
    const pruned = rows({
      firstHour: { hour: at('2026-12-09T00:00:00Z'), observedMs: H },
      firstDay: { day: at('2026-12-06T00:00:00Z'), observedMs: 6 * H },
    });
    expect(collectionStart(pruned)).toEqual(at('2026-12-06T18:00:00Z'));
  });

  it('is null before any relay was observed', () => {
    expect(collectionStart({ firstHour: null, firstDay: null })).toBeNull();
  });
});

describe('coverageOf', () => {
  it('24h on a fresh install: observed share of the range, new users warming up', () => {
    const c = coverageOf(rangeWindow('24h', NOW), rows());
    // 20 + 60 + 30 + 30 minutes observed of 24 h.
    expect(c).toEqual({
      collection_started_at: '2026-12-06T09:40:00.000Z',
      observed_fraction: (140 * 60_000) / (24 * H),
      relays_watched: 7,
      backfill_since: null,
      known_since: '2026-12-06T09:40:00.000Z',
      new_users_status: 'warming_up',
    });
  });

  it('all runs from collection start; only a backfill that reached further back makes it known', () => {
    const all = coverageOf(rangeWindow('all', NOW), rows());
    expect(all.observed_fraction).toBeCloseTo(140 / 170, 12);
    expect(all.new_users_status).toBe('warming_up');
    const backfilled = coverageOf(
      rangeWindow('all', NOW),
      rows({ backfillSince: at('2026-01-01T00:00:00Z') }),
    );
    expect(backfilled.new_users_status).toBe('ok');
    expect(backfilled.known_since).toBe('2026-01-01T00:00:00.000Z');
  });

  it('a range that starts after the known start is ok, and a bucket in the range counts only its part in it', () => {
    const later = new Date(NOW.getTime() + 26 * H);
    const c = coverageOf(
      rangeWindow('24h', later),
      rows({ buckets: [{ t: at('2026-12-06T14:00:00Z'), observedMs: H }] }),
    );
    expect(c.new_users_status).toBe('ok');
    // The window starts at 14:30: of the 14:00 hour only 30 minutes lie in it.
    expect(c.observed_fraction).toBeCloseTo(0.5 / 24, 12);
  });

  it('with no observation at all: nothing observed, nothing known', () => {
    const c = coverageOf(rangeWindow('7d', NOW), rows({ firstHour: null, firstDay: null, buckets: [] }));
    expect(c).toMatchObject({
      collection_started_at: null,
      observed_fraction: 0,
      new_users_status: 'warming_up',
    });
  });
});

describe('applyCoverage', () => {
  const window = rangeWindow('24h', NOW);
  const series = ['2026-12-06T09:00:00.000Z', '2026-12-06T10:00:00.000Z'].map((t) => ({
    t,
    events: 1,
    active_users: 2,
    new_users: 1,
    user_tiers: { active: { keys: 2, profiled: 1, trusted: 1 }, new: { keys: 1, profiled: 1, trusted: 0 } },
  }));
  const overview = {
    users: { active: 5, new: 3 },
    user_tiers: {
      active: { keys: 5, profiled: 2, trusted: 1 },
      new: { keys: 3, profiled: 1, trusted: 0 },
      trust_computed_at: null,
    },
  };
  const base = { range: '24h' as const, computed_at: NOW.toISOString() };

  it('nulls every new-user figure of a warming-up range and the buckets before the known start', () => {
    const coverage = coverageOf(window, rows());
    const out = applyCoverage(window, coverage, overview as unknown as Parameters<typeof applyCoverage>[2], {
      ...base,
      granularity: 'hour',
      series,
    });
    expect(out.overview.users).toEqual({ active: 5, new: null });
    expect(out.overview.user_tiers.new).toEqual({ keys: null, profiled: null, trusted: null });
    expect(out.overview.user_tiers.active).toEqual(overview.user_tiers.active);
    expect(out.activity.series.map((p) => p.new_users)).toEqual([null, 1]);
    expect(out.activity.series.map((p) => p.user_tiers.new)).toEqual([
      { keys: null, profiled: null, trusted: null },
      { keys: 1, profiled: 1, trusted: 0 },
    ]);
    expect(out.activity.series[0]?.user_tiers.active).toEqual({ keys: 2, profiled: 1, trusted: 1 });
    expect(out.overview.coverage).toBe(coverage);
    expect(out.activity.coverage).toBe(coverage);
  });

  it('keeps the figures when a completed backfill covers the range', () => {
    const coverage = coverageOf(window, rows({ backfillSince: at('2026-11-01T00:00:00Z') }));
    const out = applyCoverage(window, coverage, overview as unknown as Parameters<typeof applyCoverage>[2], {
      ...base,
      granularity: 'hour',
      series,
    });
    expect(out.overview.users).toEqual({ active: 5, new: 3 });
    expect(out.overview.user_tiers.new).toEqual(overview.user_tiers.new);
    expect(out.activity.series.map((p) => p.new_users)).toEqual([1, 1]);
    expect(out.activity.series.map((p) => p.user_tiers)).toEqual(series.map((p) => p.user_tiers));
  });
});
