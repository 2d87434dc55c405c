import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { type ApiEnv, type RoleContext, STATS_RANGES } from '@nostr-info/shared';
import { testServices } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { type ApiParts, createApiParts } from '../src/parts.js';
import { buildSnapshot, fixtureRelayUrl } from './fixtures.js';
import { closeContext, makeContext, migratedDatabase, seedSnapshot, uniquePrefix } from './helpers.js';
import { openApiValidator } from './openapi-validator.js';

/** Every request of this file comes from one in-process "client", so the limit is raised. */
let db: Awaited<ReturnType<typeof migratedDatabase>>;
let ctx: RoleContext<ApiEnv>;
let parts: ApiParts;
let app: OpenAPIHono;
let validator: ReturnType<typeof openApiValidator>;
const computedAt = new Date(Date.now() - 60_000);

beforeAll(async () => {
  db = await migratedDatabase('api_inproc');
  ctx = await makeContext({
    databaseUrl: db.url,
    redisUrl: testServices().TEST_REDIS_URL,
    keyPrefix: uniquePrefix('inproc'),
    env: { RATE_LIMIT_MAX: '100000' },
  });
  for (const range of STATS_RANGES) {
    // Only the 24h snapshot is in the cache; the others come from Postgres.
    await seedSnapshot(ctx, buildSnapshot(range, { computedAt, relays: 30 }), { cache: range === '24h' });
  }
  await ctx.dbs.writer
    .insertInto('relays')
    .values({
      url: fixtureRelayUrl(1),
      source: 'seed',
      watched: true,
      name: 'Relay 1',
      supported_nips: [1, 11],
    })
    .execute();
  parts = createApiParts(ctx, { snapshotMaxAgeMs: 60_000 });
  await parts.start();
  app = createApp(ctx, { parts });
  validator = openApiValidator(
    (await (await app.request('/api/v1/openapi.json')).json()) as Record<string, unknown>,
  );
});

afterAll(async () => {
  await parts.stop();
  await closeContext(ctx);
  await db.drop();
});

const sectionPaths = ['overview', 'relays', 'clients', 'top-relays', 'activity'] as const;

describe('stats endpoints', () => {
  it('every body validates against its OpenAPI response schema, for every range', async () => {
    for (const range of STATS_RANGES) {
      for (const section of sectionPaths) {
        const res = await app.request(`/api/v1/stats/${section}?range=${range}`);
        expect(res.status, `${section} ${range}`).toBe(200);
        const body = (await res.json()) as { range: string; computed_at: string };
        expect(validator.response(`/api/v1/stats/${section}`, 200, body)).toEqual([]);
        expect(body.range).toBe(range);
        expect(body.computed_at).toBe(computedAt.toISOString());
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

describe('errors', () => {
  const error = async (res: Response) => {
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(validator.component('Error', body)).toEqual([]);
    expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
    return body.error;
  };

  it('400 for an unknown range lists the allowed values (query and path)', async () => {
    for (const path of [
      '/api/v1/stats/overview?range=1y',
      '/api/v1/stats/full/1y',
      '/api/v1/stats/events/%ZZ',
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(400);
      const e = await error(res);
      expect(e.code).toBe('invalid_range');
      expect(e.message).toContain('24h, 7d, 30d, 90d, all');
    }
  });

  it('400 for a repeated range parameter', async () => {
    const res = await app.request('/api/v1/stats/overview?range=24h&range=7d');
    expect(res.status).toBe(400);
  });

  it('404 JSON for an unknown route', async () => {
    const res = await app.request('/api/v2/nothing');
    expect(res.status).toBe(404);
    expect((await error(res)).code).toBe('not_found');
  });

  it('405 with Allow for other methods on known routes', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await app.request('/api/v1/stats/full/24h', { method });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect((await error(res)).code).toBe('method_not_allowed');
    }
  });

  it('414 for an over-long URL', async () => {
    const res = await app.request(`/api/v1/stats/overview?x=${'a'.repeat(3000)}`);
    expect(res.status).toBe(414);
    expect((await error(res)).code).toBe('uri_too_long');
  });

  it('503 with a clear message when no snapshot exists yet', async () => {
    const empty = await migratedDatabase('api_empty');
    const ctx2 = await makeContext({
      databaseUrl: empty.url,
      redisUrl: testServices().TEST_REDIS_URL,
      keyPrefix: uniquePrefix('empty'),
    });
    try {
      const res = await createApp(ctx2).request('/api/v1/stats/overview');
      expect(res.status).toBe(503);
      const e = await error(res);
      expect(e.code).toBe('no_snapshot');
      expect(e.message).toContain('24h');
      expect(res.headers.get('retry-after')).toBe('30');
    } finally {
      await closeContext(ctx2);
      await empty.drop();
    }
  });
});

describe('operations', () => {
  it('health, readiness, and docs that render the endpoints without external assets', async () => {
    expect((await app.request('/health')).status).toBe(200);
    const ready = await app.request('/ready');
    expect(ready.status).toBe(200);
    expect(validator.response('/ready', 200, await ready.json())).toEqual([]);
    const docs = await app.request('/api/v1/docs');
    expect(docs.headers.get('content-type')).toContain('text/html');
    const html = await docs.text();
    for (const path of [
      '/api/v1/stats/overview',
      '/api/v1/stats/full/{range}',
      '/api/v1/relays/{url}',
      '/api/v1/stream',
    ]) {
      expect(html).toContain(path);
    }
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const css = await app.request('/api/v1/docs/docs.css');
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('the OpenAPI document is 3.1 and names every route', async () => {
    const doc = (await (await app.request('/api/v1/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/health',
        '/ready',
        '/api/v1/stats/overview',
        '/api/v1/stats/relays',
        '/api/v1/stats/clients',
        '/api/v1/stats/top-relays',
        '/api/v1/stats/activity',
        '/api/v1/stats/events/{range}',
        '/api/v1/stats/full/{range}',
        '/api/v1/relays/{url}',
        '/api/v1/stream',
      ].sort(),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Overview', 'FullSnapshot', 'Error']),
    );
  });

  it('exports the API metrics with route patterns, never raw paths', async () => {
    await ctx.cache.set(
      'stats:last-run',
      JSON.stringify({
        finished_at: '2026-11-24T00:00:00.000Z',
        success: true,
        ranges: { '24h': { duration_ms: 1500, rows: 3 } },
      }),
    );
    const text = await (await app.request('/metrics')).text();
    for (const name of [
      'nostr_info_http_requests_total',
      'nostr_info_http_request_duration_seconds_bucket',
      'nostr_info_api_cache_requests_total',
      'nostr_info_api_rate_limited_total',
      'nostr_info_api_sse_clients',
      'nostr_info_cache_up 1',
      'nostr_info_redis_memory_used_bytes',
      'nostr_info_stats_snapshot_age_seconds{range="24h"}',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toContain('route="/api/v1/stats/full/:range"');
    expect(text).toContain('route="unmatched"');
    expect(text).not.toContain('/api/v2/nothing');
    expect(text).toMatch(/nostr_info_api_cache_requests_total\{layer="database",result="hit"\} [1-9]/);
    expect(text).toContain(
      `nostr_info_stats_last_success_timestamp_seconds ${Date.parse('2026-11-24T00:00:00Z') / 1000}`,
    );
    expect(text).toContain('nostr_info_stats_duration_seconds{range="24h"} 1.5');
  });

  it('keeps the last success time through a failed run, and falls back to scheduler_runs', async () => {
    await ctx.cache.set(
      'stats:last-run',
      JSON.stringify({
        finished_at: '2026-11-24T01:00:00.000Z',
        success: false,
        ranges: { '24h': { duration_ms: 250, rows: 0 } },
        last_success_at: '2026-11-24T00:30:00.000Z',
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 150)); // past the per-scrape memo
    let text = await (await app.request('/metrics')).text();
    expect(text).toContain(
      `nostr_info_stats_last_success_timestamp_seconds ${Date.parse('2026-11-24T00:30:00Z') / 1000}`,
    );
    expect(text).toContain('nostr_info_stats_duration_seconds{range="24h"} 0.25');

    await ctx.cache.del('stats:last-run');
    await ctx.dbs.writer
      .insertInto('scheduler_runs')
      .values({
        started_at: '2026-11-23T23:59:00Z',
        finished_at: '2026-11-24T00:00:05Z',
        success: true,
        ranges: JSON.stringify({ '7d': { duration_ms: 3000, rows: 9 } }),
      })
      .execute();
    await new Promise((resolve) => setTimeout(resolve, 150));
    text = await (await app.request('/metrics')).text();
    expect(text).toContain(
      `nostr_info_stats_last_success_timestamp_seconds ${Date.parse('2026-11-24T00:00:05Z') / 1000}`,
    );
    expect(text).toContain('nostr_info_stats_duration_seconds{range="7d"} 3');
  });
});
