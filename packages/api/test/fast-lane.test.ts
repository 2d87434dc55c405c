import { request } from 'node:http';
import { type MigratedTestDatabase, migratedTestDatabase, testServices } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiService, startApi } from '../src/server.js';
import { buildSnapshot } from './fixtures.js';
import { type ApiContext, makeContext, seedSnapshot, uniquePrefix } from './helpers.js';

/**
 * The server answers exact GETs of cached stats targets itself (the fast lane) and everything
 * else through the Hono app. A target with an extra query parameter is the same resource served
 * by Hono, so each pair below must agree field by field.
 */
const BUDGET = 120;
let db: MigratedTestDatabase;
let ctx: ApiContext;
let api: ApiService;

interface Raw {
  status: number;
  headers: Record<string, string>;
  /** Field names as sent: the fast lane writes `ETag`, Node's Fetch bridge writes `etag`. */
  names: string[];
  body: Buffer;
}

function get(path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: api.port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers as Record<string, string>,
          names: res.rawHeaders.filter((_, i) => i % 2 === 0),
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const viaHono = (path: string) => `${path}${path.includes('?') ? '&' : '?'}via=hono`;
/** Fields that differ per request by design. */
const PER_REQUEST = new Set(['x-request-id', 'ratelimit-remaining', 'ratelimit-reset', 'date']);

function expectSameResponse(fast: Raw, hono: Raw, what: string): void {
  expect(fast.names, what).toContain('X-Request-Id');
  expect(hono.names, what).toContain('x-request-id');
  expect(fast.status, what).toBe(hono.status);
  // A 304 has no body: the lane sends no Content-Type for it, the Fetch bridge a text/plain one.
  const names = (r: Raw) =>
    Object.keys(r.headers)
      .filter((n) => r.status !== 304 || n !== 'content-type')
      .sort();
  expect(names(fast), what).toEqual(names(hono));
  for (const name of names(hono)) {
    const value = hono.headers[name];
    if (!PER_REQUEST.has(name)) expect(fast.headers[name], `${what}: ${name}`).toBe(value);
  }
  expect(
    Math.abs(Number(fast.headers['ratelimit-reset']) - Number(hono.headers['ratelimit-reset'])),
  ).toBeLessThanOrEqual(1);
  expect(fast.body.equals(hono.body), what).toBe(true);
}

beforeAll(async () => {
  db = await migratedTestDatabase('api_fast_lane');
  ctx = await makeContext({
    databaseUrl: db.url,
    redisUrl: testServices().TEST_REDIS_URL,
    keyPrefix: uniquePrefix('fast-lane'),
    env: { RATE_LIMIT_MAX: String(BUDGET) },
  });
  const computedAt = new Date(Date.now() - 60_000);
  await seedSnapshot(ctx, buildSnapshot('24h', { computedAt, relays: 30 }));
  await seedSnapshot(ctx, buildSnapshot('all', { computedAt, relays: 30 }), { cache: false });
  api = await startApi(ctx, { snapshotMaxAgeMs: 60_000 });
}, 60_000);

afterAll(async () => {
  await api?.stop();
  if (ctx) await ctx.close();
  await db?.drop();
});

describe('fast lane', () => {
  const paths = [
    '/api/v1/stats/overview',
    '/api/v1/stats/relays?range=24h',
    '/api/v1/stats/events/24h',
    '/api/v1/stats/full/all',
  ];

  it('answers like the Hono app: same status, fields and bytes, for every encoding', async () => {
    for (const path of paths) {
      // The first request of a range loads the snapshot (through Hono); then the lane serves.
      await get(viaHono(path));
      const variants: Record<string, string>[] = [
        {},
        { 'Accept-Encoding': 'gzip' },
        { 'Accept-Encoding': 'br, gzip' },
        { Origin: 'https://elsewhere.example' },
      ];
      for (const headers of variants) {
        const what = `${path} ${JSON.stringify(headers)}`;
        expectSameResponse(await get(path, headers), await get(viaHono(path), headers), what);
      }
    }
  });

  it('answers 304 on a matching validator, like the Hono app', async () => {
    const first = await get('/api/v1/stats/full/all', { 'Accept-Encoding': 'br' });
    const etag = first.headers.etag ?? '';
    expect(etag).toMatch(/^".+-br"$/);
    const headers = { 'If-None-Match': etag, 'Accept-Encoding': 'br' };
    const fast = await get('/api/v1/stats/full/all', headers);
    expect(fast.status).toBe(304);
    expectSameResponse(fast, await get(viaHono('/api/v1/stats/full/all'), headers), '304');
  });

  it("keeps a client's plain request id and replaces an odd one, as Hono's middleware does", async () => {
    expect(
      (await get('/api/v1/stats/overview', { 'X-Request-Id': 'abc-123=' })).headers['x-request-id'],
    ).toBe('abc-123=');
    const odd = await get('/api/v1/stats/overview', { 'X-Request-Id': 'no spaces!' });
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('counts its requests in the request metrics under the route pattern', async () => {
    const before = await get('/metrics');
    const count = (text: string) =>
      Number(
        /http_requests_total\{route="\/api\/v1\/stats\/full\/:range",method="GET",status="200"\} (\d+)/.exec(
          text,
        )?.[1] ?? 0,
      );
    await get('/api/v1/stats/full/all');
    await get('/api/v1/stats/full/all');
    expect(count((await get('/metrics')).body.toString())).toBe(count(before.body.toString()) + 2);
  });

  it('spends the shared budget and answers 429 like the Hono app once it is spent', async () => {
    let fast = await get('/api/v1/stats/overview');
    for (let i = 0; fast.status === 200 && i < 2 * BUDGET; i++) fast = await get('/api/v1/stats/overview');
    expect(fast.status).toBe(429);
    expect(fast.headers['ratelimit-remaining']).toBe('0');
    expect(Number(fast.headers['retry-after'])).toBeGreaterThan(0);
    const hono = await get(viaHono('/api/v1/stats/overview'));
    expectSameResponse(fast, hono, '429');
    expect(JSON.parse(fast.body.toString()).error.code).toBe('rate_limited');
  });
});
