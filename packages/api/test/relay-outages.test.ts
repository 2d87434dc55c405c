import { runScheduler } from '@nostr-info/scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRelayUrl } from './fixtures.js';
import { type InProcessApi, inProcessApi } from './in-process-api.js';

// A relay's outages as served (the rows the collector writes to `relay_outages`), per range, and
// its SLA in the relay detail once the scheduler ran over the same rows: availability equal to
// the uptime, MTTR, MTBF, outage count and longest outage computed by hand below.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let api: InProcessApi;
let now: number;
const url = fixtureRelayUrl(1);
const enc = encodeURIComponent;

interface Outages {
  url: string;
  range: string;
  truncated: boolean;
  outages: {
    started_at: string;
    ended_at: string | null;
    ongoing: boolean;
    duration_seconds: number;
    cause: string;
    detail: string | null;
  }[];
}

const at = (ms: number) => new Date(ms);

beforeAll(async () => {
  api = await inProcessApi('outages');
  now = Date.now();
  const w = api.ctx.dbs.writer;
  const relay = await w.selectFrom('relays').select('id').where('url', '=', url).executeTakeFirstOrThrow();
  const other = await w
    .insertInto('relays')
    .values({ url: fixtureRelayUrl(2), source: 'seed', watched: true })
    .returning('id')
    .executeTakeFirstOrThrow();
  await w
    .insertInto('relay_outages')
    .values([
      // 3 days ago, 10 minutes: in 7d, not in 24h.
      {
        relay_id: relay.id,
        started_at: at(now - 3 * DAY),
        ended_at: at(now - 3 * DAY + 600_000),
        cause: 'dns',
        detail: 'ENOTFOUND',
      },
      // 5 hours ago, 90 s.
      {
        relay_id: relay.id,
        started_at: at(now - 5 * HOUR),
        ended_at: at(now - 5 * HOUR + 90_000),
        cause: 'tcp',
        detail: 'ECONNREFUSED',
      },
      // Going on for 2 minutes.
      {
        relay_id: relay.id,
        started_at: at(now - 120_000),
        ended_at: null,
        cause: 'http_status',
        detail: '502',
      },
      { relay_id: other.id, started_at: at(now - HOUR), ended_at: null, cause: 'stalled', detail: null },
    ])
    .execute();
  // One day of hourly health: served 20 of every 24 hours' observed time (about 83.33 %).
  const rows = Array.from({ length: 24 }, (_, i) => ({
    hour: at(Math.floor(now / HOUR) * HOUR - (i + 1) * HOUR),
    relay_id: relay.id,
    connected_ms: i < 20 ? HOUR : 0,
    observed_ms: HOUR,
    restricted_ms: 0,
    connects: 1,
    disconnects: 1,
    errors: 0,
    open_latency_ms_sum: 0,
    open_latency_count: 0,
    eose_latency_ms_sum: 0,
    eose_latency_count: 0,
  }));
  await w.insertInto('relay_health_hourly').values(rows).execute();
}, 60_000);

afterAll(async () => {
  await api?.close();
});

describe('relay outages', () => {
  it('lists the outages overlapping the range, newest first, with cause and duration', async () => {
    const res = await api.app.request(`/api/v1/relays/${enc(url)}/outages?range=24h`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=10');
    const body = (await res.json()) as Outages;
    expect(api.validator.response('/api/v1/relays/{url}/outages', 200, body)).toEqual([]);
    expect(body.url).toBe(url);
    expect(body.truncated).toBe(false);
    expect(body.outages.map((o) => [o.cause, o.detail, o.ongoing, o.ended_at !== null])).toEqual([
      ['http_status', '502', true, false],
      ['tcp', 'ECONNREFUSED', false, true],
    ]);
    expect(body.outages[1]?.duration_seconds).toBe(90);
    expect(body.outages[0]?.duration_seconds).toBeGreaterThanOrEqual(120);
    expect(body.outages[1]?.started_at).toBe(at(now - 5 * HOUR).toISOString());

    const week = (await (
      await api.app.request(`/api/v1/relays/${enc(url)}/outages?range=7d`)
    ).json()) as Outages;
    expect(week.outages.map((o) => o.cause)).toEqual(['http_status', 'tcp', 'dns']);
  });

  it('answers bad input and unknown relays with JSON errors', async () => {
    for (const [path, status, code] of [
      [`/api/v1/relays/${enc(url)}/outages?range=1y`, 400, 'invalid_range'],
      [`/api/v1/relays/${enc('ftp://x.example')}/outages`, 400, 'invalid_parameter'],
      [`/api/v1/relays/${enc('wss://nobody.example')}/outages`, 404, 'not_found'],
    ] as const) {
      const res = await api.app.request(path);
      expect(res.status, path).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code, path).toBe(code);
    }
  });

  it('gives the relay detail its SLA for the range from the same outages', async () => {
    const run = await runScheduler(api.ctx, { retention: false, now: () => new Date(now) });
    expect(run.error).toBeUndefined();
    type Detail = {
      computed_at: string;
      stats: { uptime_pct: number | null; sla?: Record<string, unknown> };
    };
    const detail = async () =>
      (await (await api.app.request(`/api/v1/relays/${enc(url)}?range=7d`)).json()) as Detail;
    // The run's notice makes the API read the new snapshot.
    await expect.poll(async () => (await detail()).computed_at).toBe(new Date(now).toISOString());
    const body = await detail();
    expect(api.validator.response('/api/v1/relays/{url}', 200, body)).toEqual([]);
    const servedSeconds = 20 * 3600;
    expect(body.stats.sla).toEqual({
      availability_pct: body.stats.uptime_pct,
      outages: 3,
      ongoing: true,
      mttr_seconds: (600 + 90) / 2,
      mtbf_seconds: Math.round((servedSeconds / 3) * 10) / 10,
      longest_outage_seconds: 600,
    });
    expect(body.stats.uptime_pct).toBeCloseTo((100 * 20) / 24, 1);
  });
});
