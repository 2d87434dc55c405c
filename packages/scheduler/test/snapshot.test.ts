import {
  type FullSnapshot,
  fullSnapshotSchema,
  type StatsRange,
  ZAP_REJECT_REASONS,
} from '@nostr-info/shared/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScheduler } from '../src/scheduler.js';
import { type Backend, createTestContext, type TestContext } from './context.js';
import { NOW, seedDataset } from './fixture.js';

const AT = NOW.toISOString();
const BACKFILL_SINCE = '2020-01-01T00:00:00.000Z';
/**
 * Collection start of the dataset: its first health row is r1's whole hour at 11-20 10:00, so
 * collection ran from 10:00 at the latest.
 */
const STARTED = '2026-11-20T10:00:00.000Z';
const H = (iso: string) => new Date(iso).toISOString();
/** The hand-built dataset has no off-filter copy nor late or future event (filter-snapshot.test.ts). */
const NONE_KEPT_OUT = { off_filter: 0, late: 0, future: 0 };
/** A user figure by tier in this dataset: no profiles, no trust seeds. */
const keysOnly = (keys: number) => ({ keys, profiled: 0, trusted: null });
/** The hand-built dataset rejects no zap receipt (zap-snapshot.test.ts covers rejections). */
const NO_REJECTIONS = {
  rejected: Object.fromEntries(ZAP_REJECT_REASONS.map((r) => [r, 0])),
  unverified: { count: 0, sats: 0 },
};

/** User tiers of an activity point in this dataset: no key has both a profile and a follow list, no seeds. */
const untiered = (active: number, fresh: number) => ({
  active: { keys: active, profiled: 0, trusted: null },
  new: { keys: fresh, profiled: 0, trusted: null },
});

describe.each<Backend>(['postgres', 'pglite'])('snapshots of the hand-built dataset (%s)', (backend) => {
  let t: TestContext;
  /** Snapshots of a fresh install: first-seen dates known only from collection start on. */
  const fresh = new Map<StatsRange, FullSnapshot>();
  /** Snapshots once a completed backfill made first-seen dates known since 2020. */
  const snapshots = new Map<StatsRange, FullSnapshot>();

  beforeAll(async () => {
    t = await createTestContext(backend);
    await seedDataset(t.dbs.writer);
    const result = await runScheduler(t.ctx, { now: () => NOW });
    expect(result.error).toBeUndefined();
    const rows = await t.dbs.writer.selectFrom('statistics_snapshots').selectAll().execute();
    expect(rows).toHaveLength(5);
    for (const row of rows) fresh.set(row.range, fullSnapshotSchema.parse(row.body));
    await t.dbs.writer
      .insertInto('backfill_runs')
      .values({ since: BACKFILL_SINCE, started_at: NOW, relays: 3, relays_done: 3, complete: true })
      .execute();
    expect((await runScheduler(t.ctx, { now: () => NOW })).error).toBeUndefined();
    const again = await t.dbs.writer.selectFrom('statistics_snapshots').selectAll().orderBy('id').execute();
    for (const row of again.slice(5)) snapshots.set(row.range, fullSnapshotSchema.parse(row.body));
    // Two full runs (fresh, then backfilled): twice the usual set-up time on a busy machine.
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const get = (range: StatsRange): FullSnapshot => {
    const s = snapshots.get(range);
    if (!s) throw new Error(`no ${range} snapshot`);
    return s;
  };

  it('every range carries its range and computed_at in every section', () => {
    for (const range of ['24h', '7d', '30d', '90d', 'all'] as const) {
      const s = get(range);
      for (const section of [s, s.overview, s.relays, s.events, s.clients, s.top_relays, s.activity]) {
        expect(section.range).toBe(range);
        expect(section.computed_at).toBe(AT);
      }
    }
  });

  it('24h: overview', () => {
    expect(get('24h').overview).toEqual({
      range: '24h',
      computed_at: AT,
      relays: {
        known: 4,
        watched: 3,
        online: 1,
        unresponsive: 0,
        auth_required: 0,
        payment_required: 0,
        active: 2,
      },
      events: { unique: 16, relay_sum: 20, invalid: 1, ...NONE_KEPT_OUT },
      users: { active: 2, new: 1 },
      // No trust seeds in this dataset: trusted is null (test/trust.test.ts covers the tiers).
      user_tiers: {
        active: { keys: 2, profiled: 0, trusted: null },
        new: { keys: 1, profiled: 0, trusted: null },
        trust_computed_at: null,
      },
      zaps: {
        count: 2,
        sats: 101_000,
        senders: 1,
        receivers: 1,
        tiers: { senders: keysOnly(1), receivers: keysOnly(1) },
        flagged: 1,
        ...NO_REJECTIONS,
      },
      articles: 1,
      articles_deleted: 0,
      // Over relays online now: c was online but no collector has reported it for 10 minutes.
      latency: { open_ms: { avg: 100, p50: 100, p95: 100 }, eose_ms: { avg: 300, p50: 300, p95: 300 } },
      // Observed in range: three whole hours (11-23 20:00, 11-24 05:00, 11-24 11:00) and 20 minutes
      // of the current hour, of 24 hours.
      coverage: {
        collection_started_at: STARTED,
        observed_fraction: (3 + 1 / 3) / 24,
        relays_watched: 3,
        backfill_since: BACKFILL_SINCE,
        known_since: BACKFILL_SINCE,
        new_users_status: 'ok',
      },
    });
  });

  it('a fresh install gives new users as null, warming_up, for ranges that start before collection', () => {
    const day = fresh.get('24h');
    expect(day?.coverage).toMatchObject({ collection_started_at: STARTED, known_since: STARTED });
    // 24h starts 11-23 12:30, after collection began: its new users are known.
    expect(day?.overview.users).toEqual({ active: 2, new: 1 });
    expect(day?.coverage.new_users_status).toBe('ok');
    for (const range of ['7d', '30d', '90d', 'all'] as const) {
      const s = fresh.get(range);
      expect(s?.coverage.new_users_status).toBe('warming_up');
      expect(s?.overview.coverage).toEqual(s?.coverage);
      expect(s?.activity.coverage).toEqual(s?.coverage);
      expect(s?.overview.users.new).toBeNull();
      expect(s?.overview.user_tiers.new).toEqual({ keys: null, profiled: null, trusted: null });
      // Active users need no history: they stay numbers.
      expect(s?.overview.users.active).toBe(get(range).overview.users.active);
    }
    // Per bucket: hours that start before collection began are null, later ones are numbers.
    const series = fresh.get('7d')?.activity.series ?? [];
    const before = series.filter((p) => p.t < STARTED);
    const after = series.filter((p) => p.t >= STARTED);
    expect(before.length).toBe(69);
    expect(before.every((p) => p.new_users === null)).toBe(true);
    expect(after.every((p) => typeof p.new_users === 'number')).toBe(true);
    // A completed backfill from 2020 on makes every range's new users known.
    for (const range of ['24h', '7d', '30d', '90d', 'all'] as const)
      expect(get(range).coverage.new_users_status).toBe('ok');
  });

  it('24h: relays (watched only, most events first, uptime over observed time)', () => {
    expect(get('24h').relays.relays).toEqual([
      {
        url: 'wss://a.example',
        name: 'A',
        software: 'strfry',
        version: '1.0',
        supported_nips: [1, 11],
        auth_required: false,
        payment_required: false,
        status: 'online',
        uptime_pct: 75,
        open_latency_ms: 100,
        eose_latency_ms: 300,
        events: 14,
        events_by_kind: { '1': 10, '7': 4 },
        invalid: 1,
        off_filter: 0,
        share_pct: 87.5,
        corroborated: 4,
        last_seen: AT,
        last_event_at: H('2026-11-24T12:29:00Z'),
        // One outage in range (the half hour on 11-23); 1.5 h served over it.
        sla: {
          availability_pct: 75,
          outages: 1,
          ongoing: false,
          mttr_seconds: 1800,
          mtbf_seconds: 5400,
          longest_outage_seconds: 1800,
        },
      },
      {
        url: 'wss://b.example',
        name: 'B',
        software: null,
        version: null,
        supported_nips: [],
        auth_required: null,
        payment_required: null,
        status: 'offline',
        uptime_pct: 100,
        open_latency_ms: 300,
        eose_latency_ms: null,
        events: 6,
        events_by_kind: { '1': 6 },
        invalid: 0,
        off_filter: 0,
        share_pct: 37.5,
        corroborated: 4,
        last_seen: H('2026-11-24T06:00:00Z'),
        last_event_at: null,
        sla: {
          availability_pct: 100,
          outages: 0,
          ongoing: false,
          mttr_seconds: null,
          mtbf_seconds: null,
          longest_outage_seconds: null,
        },
      },
      {
        url: 'wss://c.example',
        name: null,
        software: null,
        version: null,
        supported_nips: [],
        auth_required: null,
        payment_required: true,
        status: 'unknown',
        uptime_pct: 100,
        open_latency_ms: 50,
        eose_latency_ms: 150,
        events: 0,
        events_by_kind: {},
        invalid: 0,
        off_filter: 0,
        share_pct: 0,
        corroborated: 0,
        last_seen: H('2026-11-24T12:20:00Z'),
        last_event_at: null,
        sla: {
          availability_pct: 100,
          outages: 0,
          ongoing: false,
          mttr_seconds: null,
          mtbf_seconds: null,
          longest_outage_seconds: null,
        },
      },
    ]);
  });

  it('7d: the SLA counts both outages of r1, with whole durations', () => {
    expect(get('7d').relays.relays.find((r) => r.url === 'wss://a.example')?.sla).toEqual({
      availability_pct: 50,
      outages: 2,
      ongoing: false,
      mttr_seconds: 2700,
      mtbf_seconds: 2700,
      longest_outage_seconds: 3600,
    });
  });

  it('24h: events by kind and per hour from 24 h before NOW; an event 24 h 1 s ago is out', () => {
    const e = get('24h').events;
    expect(e.granularity).toBe('hour');
    expect(e.total).toBe(16);
    expect(e.by_kind).toEqual({ '1': 12, '7': 4 });
    // 25 hourly points: the first holds only 11-23 12:30 to 13:00, where E3 (12:29:59) is not.
    expect(e.series).toHaveLength(25);
    expect(e.series[0]).toEqual({ t: H('2026-11-23T12:00:00Z'), total: 0, by_kind: {} });
    expect(e.series[1]).toEqual({ t: H('2026-11-23T13:00:00Z'), total: 4, by_kind: { '7': 4 } });
    expect(e.series[24]).toEqual({ t: H('2026-11-24T12:00:00Z'), total: 12, by_kind: { '1': 12 } });
    expect(e.series.slice(2, 24).every((p) => p.total === 0)).toBe(true);
  });

  it('24h: clients, top relays, activity', () => {
    const s = get('24h');
    const damus = {
      client: 'damus',
      events: 5,
      users: 2,
      users_tiers: keysOnly(2),
      events_share_pct: 62.5,
      users_share_pct: 100,
    };
    const amethyst = {
      client: 'amethyst',
      events: 3,
      users: 1,
      users_tiers: keysOnly(1),
      events_share_pct: 37.5,
      users_share_pct: 50,
    };
    expect(s.clients).toEqual({
      range: '24h',
      computed_at: AT,
      total_events: 8,
      total_users: 2,
      by_events: [damus, amethyst],
      by_users: [damus, amethyst],
    });
    expect(s.top_relays).toEqual({
      range: '24h',
      computed_at: AT,
      most_active: [
        // Ranked by corroborated events (4 each: the events of E1 both carried), then events.
        { url: 'wss://a.example', name: 'A', events: 14, share_pct: 87.5, corroborated: 4 },
        { url: 'wss://b.example', name: 'B', events: 6, share_pct: 37.5, corroborated: 4 },
      ],
      // c.example was observed 20 minutes, under half of a.example's two hours: not ranked.
      most_reliable: [
        { url: 'wss://b.example', name: 'B', uptime_pct: 100, events: 6 },
        { url: 'wss://a.example', name: 'A', uptime_pct: 75, events: 14 },
      ],
    });
    const a = s.activity;
    expect(a.granularity).toBe('hour');
    expect(a.series).toHaveLength(25);
    // The partial first hour: its new users are those first seen from 12:30 on (p3, one second
    // earlier, is not); its active users are the whole hour's (p3), as documented.
    expect(a.series[0]).toEqual({
      t: H('2026-11-23T12:00:00Z'),
      events: 0,
      active_users: 1,
      new_users: 0,
      user_tiers: untiered(1, 0),
    });
    expect(a.series[1]).toEqual({
      t: H('2026-11-23T13:00:00Z'),
      events: 4,
      active_users: 1,
      new_users: 1,
      user_tiers: untiered(1, 1),
    });
    expect(a.series[24]).toEqual({
      t: H('2026-11-24T12:00:00Z'),
      events: 12,
      active_users: 2,
      new_users: 0,
      user_tiers: untiered(2, 0),
    });
    expect(a.series.slice(2, 24).every((p) => p.events === 0 && p.active_users === 0)).toBe(true);
    // The series' new users add up to the range's: p2.
    expect(a.series.reduce((n, p) => n + (p.new_users ?? 0), 0)).toBe(s.overview.users.new);
  });

  it('7d: hour buckets back to 2026-11-17 13:00, replaceable kinds counted per version', () => {
    const s = get('7d');
    expect(s.overview.relays).toEqual({
      known: 4,
      watched: 3,
      online: 1,
      unresponsive: 0,
      auth_required: 0,
      payment_required: 0,
      active: 3,
    });
    expect(s.overview.events).toEqual({ unique: 29, relay_sum: 36, invalid: 1, ...NONE_KEPT_OUT });
    expect(s.overview.users).toEqual({ active: 4, new: 2 });
    expect(s.overview.zaps).toEqual({
      count: 3,
      sats: 101_251,
      senders: 2,
      receivers: 1,
      tiers: { senders: keysOnly(2), receivers: keysOnly(1) },
      flagged: 1,
      ...NO_REJECTIONS,
    });
    expect(s.overview.articles).toBe(2);
    expect(s.events.by_kind).toEqual({ '0': 3, '1': 19, '7': 5, '30023': 2 });
    expect(s.events.series).toHaveLength(168);
    // E11 at 13:00:00 opens the window; E12 one second earlier is out.
    expect(s.events.series[0]).toEqual({ t: H('2026-11-17T13:00:00Z'), total: 1, by_kind: { '7': 1 } });
    expect(s.events.series.find((p) => p.t === H('2026-11-20T08:00:00Z'))).toEqual({
      t: H('2026-11-20T08:00:00Z'),
      total: 5,
      by_kind: { '0': 3, '30023': 2 },
    });
    expect(s.relays.relays.map((r) => [r.url, r.events, r.share_pct, r.uptime_pct])).toEqual([
      ['wss://a.example', 19, 65.52, 50],
      ['wss://c.example', 10, 34.48, 100],
      ['wss://b.example', 7, 24.14, 100],
    ]);
    expect(s.relays.relays[1]?.events_by_kind).toEqual({ '0': 3, '1': 5, '30023': 2 });
    expect(s.top_relays.most_reliable).toEqual([
      { url: 'wss://a.example', name: 'A', uptime_pct: 50, events: 19 },
    ]);
    expect(s.clients.by_events.map((c) => [c.client, c.events, c.users, c.events_share_pct])).toEqual([
      ['damus', 9, 2, 75],
      ['amethyst', 3, 1, 25],
    ]);
    expect(s.activity.series.find((p) => p.t === H('2026-11-23T12:00:00Z'))).toEqual({
      t: H('2026-11-23T12:00:00Z'),
      events: 7,
      active_users: 1,
      new_users: 1,
      user_tiers: untiered(1, 1),
    });
  });

  it('30d: day buckets from 2026-10-26, the day before is out', () => {
    const s = get('30d');
    expect(s.overview.events).toEqual({ unique: 41, relay_sum: 48, invalid: 1, ...NONE_KEPT_OUT });
    expect(s.overview.users).toEqual({ active: 4, new: 3 });
    expect(s.overview.zaps).toEqual({
      count: 4,
      sats: 101_252,
      senders: 2,
      receivers: 2,
      tiers: { senders: keysOnly(2), receivers: keysOnly(2) },
      flagged: 1,
      ...NO_REJECTIONS,
    });
    expect(s.overview.articles).toBe(2);
    expect(s.events.granularity).toBe('day');
    expect(s.events.by_kind).toEqual({ '0': 3, '1': 27, '7': 6, '9735': 3, '30023': 2 });
    expect(s.events.series).toHaveLength(30);
    expect(s.events.series[0]).toEqual({ t: H('2026-10-26T00:00:00Z'), total: 8, by_kind: { '1': 8 } });
    expect(s.activity.series[28]).toEqual({
      t: H('2026-11-23T00:00:00Z'),
      events: 11,
      active_users: 3,
      new_users: 2,
      user_tiers: untiered(3, 2),
    });
    expect(s.activity.series[0]).toEqual({
      t: H('2026-10-26T00:00:00Z'),
      events: 8,
      active_users: 1,
      new_users: 1,
      user_tiers: untiered(1, 1),
    });
    expect(s.relays.relays.map((r) => [r.url, r.events, r.uptime_pct])).toEqual([
      ['wss://a.example', 27, 50],
      ['wss://b.example', 11, 100],
      ['wss://c.example', 10, 100],
    ]);
    expect(s.clients.total_users).toBe(3);
    expect(s.clients.by_events.map((c) => [c.client, c.events_share_pct, c.users_share_pct])).toEqual([
      ['damus', 47.37, 66.67],
      ['primal', 36.84, 33.33],
      ['amethyst', 15.79, 33.33],
    ]);
  });

  it('90d: from 2026-08-27', () => {
    const s = get('90d');
    expect(s.overview.events).toEqual({ unique: 44, relay_sum: 51, invalid: 1, ...NONE_KEPT_OUT });
    expect(s.overview.users).toEqual({ active: 5, new: 3 });
    expect(s.overview.relays.active).toBe(3);
    expect(s.events.series).toHaveLength(90);
    expect(s.events.series[0]).toEqual({ t: H('2026-08-27T00:00:00Z'), total: 2, by_kind: { '1': 2 } });
    expect(s.events.by_kind).toEqual({ '0': 3, '1': 29, '3': 1, '7': 6, '9735': 3, '30023': 2 });
  });

  it('all: everything, series from the first day with data', () => {
    const s = get('all');
    expect(s.overview.relays).toEqual({
      known: 4,
      watched: 3,
      online: 1,
      unresponsive: 0,
      auth_required: 0,
      payment_required: 0,
      active: 4,
    });
    expect(s.overview.events).toEqual({ unique: 194, relay_sum: 201, invalid: 1, ...NONE_KEPT_OUT });
    expect(s.overview.users).toEqual({ active: 5, new: 5 });
    expect(s.overview.articles).toBe(3);
    expect(s.events.series).toHaveLength(693);
    expect(s.events.series[0]).toEqual({ t: H('2025-01-01T00:00:00Z'), total: 50, by_kind: { '1': 50 } });
    expect(s.activity.series.at(-1)?.t).toBe(H('2026-11-24T00:00:00Z'));
    // d.example delivered events but is not watched: counted as active, not listed.
    expect(s.relays.relays.map((r) => r.url)).toEqual([
      'wss://a.example',
      'wss://b.example',
      'wss://c.example',
    ]);
    expect(s.relays.relays[0]?.events).toBe(128);
  });

  it('all reads the running totals plus the days after them, with the same figures', async () => {
    // The first run rolled every day up to today - 2 into the totals tables.
    const state = await t.dbs.writer.selectFrom('stats_rollup_state').selectAll().executeTakeFirstOrThrow();
    expect(new Date(state.through_day).toISOString().slice(0, 10)).toBe('2026-11-22');
    const totals = await t.dbs.writer
      .selectFrom('events_aggregated_totals')
      .select(['relay_id', 'kind', 'events'])
      .orderBy('relay_id')
      .orderBy('kind')
      .execute();
    // Days up to 11-22 only: E1/E2/E3 (11-23, 11-24) stay in the day rows after the totals.
    expect(totals.map((r) => [r.relay_id, r.kind, r.events])).toEqual([
      [1, 1, 108],
      [1, 3, 1],
      [2, 1, 2],
      [2, 7, 2],
      [2, 9735, 3],
      [3, 0, 3],
      [3, 30023, 2],
      [4, 1, 50],
    ]);
    const again = await runScheduler(t.ctx, { now: () => new Date(NOW.getTime() + 60_000) });
    expect(again.error).toBeUndefined();
    const rows = await t.dbs.writer
      .selectFrom('statistics_snapshots')
      .select('body')
      .where('range', '=', 'all')
      .orderBy('computed_at', 'desc')
      .execute();
    const latest = fullSnapshotSchema.parse(rows[0]?.body);
    const first = get('all');
    expect(latest.computed_at).not.toBe(first.computed_at);
    expect(latest.relays.relays).toEqual(
      first.relays.relays.map((r) => ({
        ...r,
        last_seen: r.status === 'online' ? latest.computed_at : r.last_seen,
      })),
    );
    expect(latest.overview.events).toEqual(first.overview.events);
    expect(latest.clients.by_events).toEqual(first.clients.by_events);
    expect(latest.top_relays.most_reliable).toEqual(first.top_relays.most_reliable);
  });
});
