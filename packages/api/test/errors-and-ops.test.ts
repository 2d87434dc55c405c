import { migratedTestDatabase, testServices } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { makeContext, uniquePrefix } from './helpers.js';
import { type InProcessApi, inProcessApi } from './in-process-api.js';

let api: InProcessApi;
let app: InProcessApi['app'];
let validator: InProcessApi['validator'];
let ctx: InProcessApi['ctx'];

beforeAll(async () => {
  api = await inProcessApi('errors');
  ({ app, validator, ctx } = api);
});

afterAll(async () => {
  await api?.close();
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
    const empty = await migratedTestDatabase('api_empty');
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
      await ctx2.close();
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
        '/api/v1/stats/census',
        '/api/v1/stats/follow-graph',
        '/api/v1/stats/events/{range}',
        '/api/v1/stats/full/{range}',
        '/api/v1/relays/{url}',
        '/api/v1/relays/{url}/history',
        '/api/v1/relays/{url}/outages',
        '/api/v1/relays/{url}/changes',
        '/api/v1/relays/{url}/badge.svg',
        '/api/v1/stream',
      ].sort(),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'Overview',
        'FullSnapshot',
        'Error',
        'RelayHistory',
        'RelayChanges',
        'RelayOutages',
        'CensusSection',
        'FollowGraphSection',
      ]),
    );
  });

  it('exports the API metrics with route patterns, never raw paths', async () => {
    // 24h comes from the cache, 7d from Postgres.
    for (const path of ['/api/v1/stats/full/24h', '/api/v1/stats/full/7d', '/api/v2/nothing'])
      await app.request(path);
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
