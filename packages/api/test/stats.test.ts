import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { type FullSnapshot, STATS_RANGES } from '@nostr-info/shared/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot, fixtureRelayUrl } from './fixtures.js';
import { seedSnapshot } from './helpers.js';
import { type InProcessApi, inProcessApi } from './in-process-api.js';

let api: InProcessApi;
let app: InProcessApi['app'];
let validator: InProcessApi['validator'];
let ctx: InProcessApi['ctx'];

beforeAll(async () => {
  api = await inProcessApi('stats');
  ({ app, validator, ctx } = api);
});

afterAll(async () => {
  await api?.close();
});

const sectionPaths = [
  'overview',
  'relays',
  'clients',
  'top-relays',
  'activity',
  'census',
  'follow-graph',
] as const;

describe('stats endpoints', () => {
  it('every body validates against its OpenAPI response schema, for every range', async () => {
    for (const range of STATS_RANGES) {
      for (const section of sectionPaths) {
        const res = await app.request(`/api/v1/stats/${section}?range=${range}`);
        expect(res.status, `${section} ${range}`).toBe(200);
        const body = (await res.json()) as { range: string; computed_at: string };
        expect(validator.response(`/api/v1/stats/${section}`, 200, body)).toEqual([]);
        expect(body.range).toBe(range);
        expect(body.computed_at).toBe(api.computedAt.toISOString());
      }
      for (const kind of ['events', 'full']) {
        const res = await app.request(`/api/v1/stats/${kind}/${range}`);
        expect(res.status).toBe(200);
        expect(validator.response(`/api/v1/stats/${kind}/{range}`, 200, await res.json())).toEqual([]);
      }
    }
  });

  it('defaults to 24h and serves the section object of the full snapshot', async () => {
    const full = (await (await app.request('/api/v1/stats/full/24h')).json()) as Record<string, unknown>;
    const top = await (await app.request('/api/v1/stats/top-relays')).json();
    expect(top).toEqual(full.top_relays);
    const overview = await (await app.request('/api/v1/stats/overview')).json();
    expect(overview).toEqual(full.overview);
  });

  it('a body that breaks the schema is caught by the validator (the check can fail)', () => {
    expect(validator.component('Overview', { range: '24h' }).length).toBeGreaterThan(0);
    expect(
      validator.component('FullSnapshot', { ...buildSnapshot('7d'), range: '1y' }).length,
    ).toBeGreaterThan(0);
    const activity = buildSnapshot('7d').activity;
    expect(validator.component('ActivitySection', activity)).toEqual([]);
    const withoutTiers = { ...activity, series: activity.series.map(({ user_tiers: _, ...p }) => p) };
    expect(validator.component('ActivitySection', withoutTiers).length).toBeGreaterThan(0);
  });

  it('negotiates brotli and gzip from precomputed bytes that decode to the same JSON', async () => {
    const plain = await (await app.request('/api/v1/stats/full/all')).text();
    const br = await app.request('/api/v1/stats/full/all', { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(plain);
    const gz = await app.request('/api/v1/stats/full/all', {
      headers: { 'Accept-Encoding': 'gzip;q=1, br;q=0' },
    });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(plain);
    const id = await app.request('/api/v1/stats/full/all', { headers: { 'Accept-Encoding': 'identity' } });
    expect(id.headers.get('content-encoding')).toBeNull();
    expect(Number(id.headers.get('content-length'))).toBe(Buffer.byteLength(plain));
  });

  it('answers 304 to a matching If-None-Match, also across encodings, and 200 otherwise', async () => {
    const first = await app.request('/api/v1/stats/overview?range=7d', {
      headers: { 'Accept-Encoding': 'br' },
    });
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await app.request('/api/v1/stats/overview?range=7d', {
      headers: { 'If-None-Match': etag ?? '' },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBeTruthy();
    expect(await again.text()).toBe('');
    const other = await app.request('/api/v1/stats/overview?range=30d', {
      headers: { 'If-None-Match': etag ?? '' },
    });
    expect(other.status).toBe(200);
    const stale = await app.request('/api/v1/stats/overview?range=7d', {
      headers: { 'If-None-Match': '"nope"' },
    });
    expect(stale.status).toBe(200);
  });

  it('sets Cache-Control to the seconds until the next expected run', async () => {
    const res = await app.request('/api/v1/stats/overview');
    const maxAge = Number(/max-age=(\d+)/.exec(res.headers.get('cache-control') ?? '')?.[1]);
    // computed 60 s ago, runs every 300 s: about 240 s left.
    expect(maxAge).toBeGreaterThan(230);
    expect(maxAge).toBeLessThanOrEqual(240);
    expect(res.headers.get('cache-control')).toMatch(/^public, /);
  });

  it('sends the security, CORS, request-id and rate-limit headers', async () => {
    const res = await app.request('/api/v1/stats/overview', { headers: { Origin: 'https://example.org' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toContain('max-age=');
    expect(res.headers.get('ratelimit-limit')).toBe('100000');
    expect(res.headers.get('ratelimit-policy')).toBe('100000;w=900');
    const preflight = await app.request('/api/v1/stats/overview', {
      method: 'OPTIONS',
      headers: { Origin: 'https://example.org', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,HEAD,OPTIONS');
  });

  it('answers HEAD like GET without a body', async () => {
    const res = await app.request('/api/v1/stats/overview', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('picks up a new snapshot as soon as the "snapshot ready" notice arrives', async () => {
    const before = (await (await app.request('/api/v1/stats/overview?range=90d')).json()) as {
      computed_at: string;
    };
    const newer = buildSnapshot('90d', { computedAt: new Date(), seed: 7 });
    await seedSnapshot(ctx, newer, { publish: true });
    await expect
      .poll(
        async () =>
          ((await (await app.request('/api/v1/stats/overview?range=90d')).json()) as { computed_at: string })
            .computed_at,
      )
      .toBe(newer.computed_at);
    expect(newer.computed_at).not.toBe(before.computed_at);
  });

  it('answers 503 for the census of a snapshot computed before there was one, and serves the rest', async () => {
    // As the previous release wrote it: every section but the census.
    const { census: _census, ...older } = buildSnapshot('30d', { computedAt: new Date(), seed: 9 });
    await seedSnapshot(ctx, older as unknown as FullSnapshot, { publish: true });
    const overviewAt = async () =>
      ((await (await app.request('/api/v1/stats/overview?range=30d')).json()) as { computed_at: string })
        .computed_at;
    await expect.poll(overviewAt).toBe(older.computed_at);
    const res = await app.request('/api/v1/stats/census?range=30d');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'no_snapshot' } });
  });

  it('answers 503 for the follow graph of a snapshot computed before there was one', async () => {
    const { follow_graph: _graph, ...older } = buildSnapshot('90d', { computedAt: new Date(), seed: 11 });
    await seedSnapshot(ctx, older as unknown as FullSnapshot, { publish: true });
    const overviewAt = async () =>
      ((await (await app.request('/api/v1/stats/overview?range=90d')).json()) as { computed_at: string })
        .computed_at;
    await expect.poll(overviewAt).toBe(older.computed_at);
    const res = await app.request('/api/v1/stats/follow-graph?range=90d');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'no_snapshot' } });
  });

  it('documents the follow graph before the first trust computation: null figures, no keys', () => {
    const { range, computed_at } = buildSnapshot('7d').follow_graph;
    const none = {
      range,
      computed_at,
      trust_computed_at: null,
      lists_published: null,
      follows_per_list: null,
      lists: null,
      edges: null,
      followers: null,
      mutual_pct: null,
      top_trusted: [],
    };
    expect(validator.component('FollowGraphSection', none)).toEqual([]);
    expect(validator.component('FollowGraphSection', { ...none, mutual_pct: 101 }).length).toBeGreaterThan(0);
  });
});

describe('relay detail', () => {
  it('joins the snapshot row and the relays table row; validates against its schema', async () => {
    const res = await app.request(
      `/api/v1/relays/${encodeURIComponent('WSS://Relay1.example.com/')}?range=7d`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { url: string; relay: { name: string }; stats: { events: number } };
    expect(validator.response('/api/v1/relays/{url}', 200, body)).toEqual([]);
    expect(body.url).toBe(fixtureRelayUrl(1));
    expect(body.relay.name).toBe('Relay 1');
    expect(body.stats.events).toBe(2000);
  });

  it('serves a relay known only to the snapshot, with relay: null', async () => {
    const res = await app.request(`/api/v1/relays/${encodeURIComponent(fixtureRelayUrl(2))}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { relay: unknown }).relay).toBeNull();
  });

  it('404 for an unknown relay, 400 naming the parameter for a non-relay URL', async () => {
    const missing = await app.request(`/api/v1/relays/${encodeURIComponent('wss://unknown.example.net')}`);
    expect(missing.status).toBe(404);
    expect(validator.component('Error', await missing.json())).toEqual([]);
    const bad = await app.request(`/api/v1/relays/${encodeURIComponent('https://example.com')}`);
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_parameter');
    expect(body.error.message).toContain('url');
  });
});
