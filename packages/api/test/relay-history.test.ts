import { rangeWindow, runScheduler } from '@nostr-info/scheduler';
import { STATS_RANGES, type StatsRange } from '@nostr-info/shared/stats';
import { type MigratedTestDatabase, migratedTestDatabase, testServices } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { type ApiParts, createApiParts } from '../src/parts.js';
import { type ApiContext, makeContext, uniquePrefix } from './helpers.js';
import { openApiValidator } from './openapi-validator.js';

// One relay's history against the real scheduler: every range's points add up to the figures the
// relay detail reports for that range (events, invalid and off-filter copies, uptime, mean
// latencies), because both read the same rows by the same window rule. Rows sit on both sides of
// every range's start, in the 5-minute rows of the `24h` window's partial first hour, and in a
// second relay that must not leak in. Latency percentiles come from the histogram rows.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SLOT = 300_000;
const A = 'wss://history-a.example';
const B = 'wss://history-b.example';

interface Point {
  t: string;
  uptime_pct: number | null;
  observed_ms: number;
  serving_ms: number;
  restricted_ms: number;
  open_latency_ms: { avg: number | null; p50: number | null; p95: number | null; count: number };
  eose_latency_ms: { avg: number | null; p50: number | null; p95: number | null; count: number };
  events: number;
  invalid: number;
  off_filter: number;
  connects: number;
  disconnects: number;
}
interface History {
  range: StatsRange;
  granularity: 'hour' | 'day';
  totals: Omit<Point, 't'>;
  series: Point[];
}
interface Detail {
  stats: {
    events: number;
    invalid: number;
    off_filter: number;
    uptime_pct: number | null;
    open_latency_ms: number | null;
    eose_latency_ms: number | null;
  } | null;
}

let db: MigratedTestDatabase;
let ctx: ApiContext;
let parts: ApiParts;
let app: ReturnType<typeof createApp>;
let validator: ReturnType<typeof openApiValidator>;
let now: Date;

const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Health counters of one bucket: `k` scales them so buckets differ. */
const health = (relay_id: number, k: number) => ({
  relay_id,
  connected_ms: 50_000 * k,
  observed_ms: 60_000 * k,
  restricted_ms: 1000 * k,
  connects: k,
  disconnects: k + 1,
  errors: 0,
  open_latency_ms_sum: 150 * k,
  open_latency_count: k,
  eose_latency_ms_sum: 400 * k,
  eose_latency_count: k,
});

beforeAll(async () => {
  // The scheduler run and the reads below share one 5-minute slot: the `24h` window starts at the
  // slot's start, and a slot turning between them would move it.
  const untilNextSlot = SLOT - (Date.now() % SLOT);
  if (untilNextSlot < 20_000) await new Promise((r) => setTimeout(r, untilNextSlot + 100));
  now = new Date();
  db = await migratedTestDatabase('api_relay_history');
  ctx = await makeContext({
    databaseUrl: db.url,
    redisUrl: testServices().TEST_REDIS_URL,
    keyPrefix: uniquePrefix('history'),
    env: { RATE_LIMIT_MAX: '100000' },
  });
  const w = ctx.dbs.writer;
  const [a, b] = await w
    .insertInto('relays')
    .values([
      { url: A, source: 'seed', watched: true, status: 'online', held_at: now },
      { url: B, source: 'seed', watched: true, status: 'online', held_at: now },
    ])
    .returning('id')
    .execute();
  if (!a || !b) throw new Error('relays not inserted');

  const hourNow = Math.floor(now.getTime() / HOUR) * HOUR;
  const start24 = Math.floor(now.getTime() / SLOT) * SLOT - DAY;
  const edgeHour = Math.floor(start24 / HOUR) * HOUR;
  // Hours: inside 24h (h-1, h-5), the 24h window's edge hour (its whole-hour row belongs to 7d only
  // when the window starts inside it), inside 7d only (h-30), before 7d (h-200).
  const hours = [hourNow - HOUR, hourNow - 5 * HOUR, edgeHour, hourNow - 30 * HOUR, hourNow - 200 * HOUR];
  for (const [i, t] of hours.entries()) {
    const hour = new Date(t);
    for (const relay of [a.id, b.id]) {
      const k = relay === a.id ? i + 1 : 7;
      await w
        .insertInto('events_aggregated')
        .values([
          { hour, relay_id: relay, kind: 1, events: 100 * k, invalid: k, duplicates: 0 },
          { hour, relay_id: relay, kind: 7, events: 10 * k, invalid: 0, duplicates: 0 },
        ])
        .execute();
      await w
        .insertInto('relay_health_hourly')
        .values({ hour, ...health(relay, k) })
        .execute();
      await w
        .insertInto('relay_off_filter_hourly')
        .values({ hour, relay_id: relay, reason: 'kind', copies: 3 * k })
        .execute();
    }
  }
  // The partial first hour of 24h: 5-minute rows from the window's start on (in) and before it (out).
  for (const [bucket, k] of [
    [start24, 11],
    [start24 - SLOT, 13],
  ] as const) {
    if (bucket < edgeHour) continue;
    const at = new Date(bucket);
    await w
      .insertInto('events_aggregated_5m')
      .values({ bucket: at, relay_id: a.id, kind: 1, events: k, invalid: 1, duplicates: 0 })
      .execute();
    await w
      .insertInto('relay_health_5m')
      .values({ bucket: at, ...health(a.id, k) })
      .execute();
    await w
      .insertInto('relay_off_filter_5m')
      .values({ bucket: at, relay_id: a.id, reason: 'since', copies: k })
      .execute();
  }
  // Days: today, inside 30d, inside 90d only, before 90d (all only).
  const today = Math.floor(now.getTime() / DAY) * DAY;
  for (const [i, t] of [today, today - 3 * DAY, today - 40 * DAY, today - 200 * DAY].entries()) {
    const day = dayOf(t);
    for (const relay of [a.id, b.id]) {
      const k = relay === a.id ? i + 2 : 5;
      await w
        .insertInto('events_aggregated_daily')
        .values({ day, relay_id: relay, kind: 1, events: 1000 * k, invalid: 2 * k, duplicates: 0 })
        .execute();
      await w
        .insertInto('relay_health_daily')
        .values({ day, ...health(relay, 24 * k) })
        .execute();
      await w
        .insertInto('relay_off_filter_daily')
        .values({ day, relay_id: relay, reason: 'kind', copies: 5 * k })
        .execute();
    }
  }
  // Latency histograms of relay A: in the last hour (and its day), and in a day before 30d.
  const lastHour = new Date(hourNow - HOUR);
  await w
    .insertInto('relay_latency_hourly')
    .values([
      { hour: lastHour, relay_id: a.id, phase: 'open', le_ms: 100, samples: 3 },
      { hour: lastHour, relay_id: a.id, phase: 'open', le_ms: 250, samples: 1 },
      { hour: lastHour, relay_id: a.id, phase: 'eose', le_ms: 400, samples: 10 },
      { hour: lastHour, relay_id: b.id, phase: 'open', le_ms: 5000, samples: 9 },
    ])
    .execute();
  await w
    .insertInto('relay_latency_daily')
    .values([
      { day: dayOf(hourNow - HOUR), relay_id: a.id, phase: 'open', le_ms: 100, samples: 3 },
      { day: dayOf(hourNow - HOUR), relay_id: a.id, phase: 'open', le_ms: 250, samples: 1 },
      { day: dayOf(today - 40 * DAY), relay_id: a.id, phase: 'open', le_ms: 2000, samples: 20 },
    ])
    .execute();

  const run = await runScheduler(ctx, { retention: false, now: () => now });
  expect(run.error).toBeUndefined();
  parts = createApiParts(ctx, { snapshotMaxAgeMs: 60_000 });
  await parts.start();
  app = createApp(ctx, { parts });
  validator = openApiValidator(
    (await (await app.request('/api/v1/openapi.json')).json()) as Record<string, unknown>,
  );
}, 60_000);

afterAll(async () => {
  await parts?.stop();
  await ctx?.close();
  await db?.drop();
});

const get = async <T>(path: string): Promise<{ status: number; body: T; headers: Headers }> => {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
};
const enc = encodeURIComponent;
const sum = (points: Point[], f: (p: Point) => number) => points.reduce((s, p) => s + f(p), 0);

describe('relay history', () => {
  for (const range of STATS_RANGES) {
    it(`${range}: the points add up to the relay detail's figures`, async () => {
      const detail = await get<Detail>(`/api/v1/relays/${enc(A)}?range=${range}`);
      expect(detail.status).toBe(200);
      const stats = detail.body.stats;
      if (!stats) throw new Error('relay A missing from the snapshot');
      const res = await get<History>(`/api/v1/relays/${enc(A)}/history?range=${range}`);
      expect(res.status).toBe(200);
      expect(validator.response('/api/v1/relays/{url}/history', 200, res.body)).toEqual([]);
      const { series, totals } = res.body;

      const window = rangeWindow(range, now);
      expect(res.body.granularity).toBe(window.granularity);
      const expectedPoints = { '24h': [24, 25], '7d': [168], '30d': [30], '90d': [90], all: [201] }[range];
      expect(expectedPoints).toContain(series.length);

      expect(sum(series, (p) => p.events)).toBe(stats.events);
      expect(sum(series, (p) => p.invalid)).toBe(stats.invalid);
      expect(sum(series, (p) => p.off_filter)).toBe(stats.off_filter);
      expect(stats.events).toBeGreaterThan(0);
      for (const key of [
        'events',
        'invalid',
        'off_filter',
        'observed_ms',
        'serving_ms',
        'disconnects',
      ] as const) {
        expect(totals[key], key).toBe(sum(series, (p) => p[key]));
      }
      expect(totals.uptime_pct).toBe(stats.uptime_pct);
      expect(totals.open_latency_ms.avg).toBe(stats.open_latency_ms);
      expect(totals.eose_latency_ms.avg).toBe(stats.eose_latency_ms);
    });
  }

  it('counts the 24h window from its start: 5-minute rows of the partial first hour, not that whole hour', async () => {
    const window = rangeWindow('24h', now);
    const { body } = await get<History>(`/api/v1/relays/${enc(A)}/history?range=24h`);
    const first = body.series[0];
    if (!first || !window.start) throw new Error('no first point');
    const partial = window.start.getTime() % HOUR !== 0;
    // Partial: only the 5-minute row at the start (k = 11) counts; else the edge hour's own row (k = 3).
    expect(first.events).toBe(partial ? 11 : 330);
    expect(first.t).toBe(new Date(Math.floor(window.start.getTime() / HOUR) * HOUR).toISOString());
  });

  it('reads latency percentiles from the histograms, per point and over the range', async () => {
    const { body } = await get<History>(`/api/v1/relays/${enc(A)}/history?range=24h`);
    const last = body.series.at(-2);
    expect(last?.open_latency_ms).toMatchObject({ p50: 100, p95: 250 });
    expect(last?.eose_latency_ms).toMatchObject({ p50: 400, p95: 400 });
    expect(body.totals.open_latency_ms).toMatchObject({ p50: 100, p95: 250 });
    // A point without histogram rows has no percentiles, whatever its mean.
    expect(body.series.find((p) => p.open_latency_ms.count > 0 && p !== last)?.open_latency_ms).toMatchObject(
      {
        p50: null,
        p95: null,
      },
    );
    const ninety = await get<History>(`/api/v1/relays/${enc(A)}/history?range=90d`);
    // 4 samples ≤ 250 ms, 20 at ≤ 2 s: the median is in the 2 s bucket.
    expect(ninety.body.totals.open_latency_ms).toMatchObject({ p50: 2000, p95: 2000 });
    const thirty = await get<History>(`/api/v1/relays/${enc(A)}/history?range=30d`);
    expect(thirty.body.totals.open_latency_ms).toMatchObject({ p50: 100, p95: 250 });
  });

  it('is cacheable: strong ETag, 304 on If-None-Match, a minute of Cache-Control', async () => {
    const first = await app.request(`/api/v1/relays/${enc(B)}/history?range=7d`);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=60');
    const again = await app.request(`/api/v1/relays/${enc(B)}/history?range=7d`, {
      headers: { 'If-None-Match': etag ?? '' },
    });
    expect(again.status).toBe(304);
  });

  it('answers bad input and unknown relays with JSON errors', async () => {
    const bad = await get<{ error: { code: string } }>(`/api/v1/relays/${enc(A)}/history?range=1y`);
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_range']);
    const notUrl = await get<{ error: { code: string } }>(
      `/api/v1/relays/${enc('https://x.example')}/history`,
    );
    expect([notUrl.status, notUrl.body.error.code]).toEqual([400, 'invalid_parameter']);
    const unknown = await get<{ error: { code: string } }>(
      `/api/v1/relays/${enc('wss://nobody.example')}/history`,
    );
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
  });
});
