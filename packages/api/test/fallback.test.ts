import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { type MigratedTestDatabase, migratedTestDatabase } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type ApiService, startApi } from '../src/server.js';
import { buildSnapshot } from './fixtures.js';
import { type ApiContext, makeContext, seedSnapshot, uniquePrefix } from './helpers.js';

/** A Redis of this test's own (never the shared one), so it can be killed. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let db: MigratedTestDatabase;
let ctx: ApiContext;
let redis: ChildProcess;
let api: ApiService;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  db = await migratedTestDatabase('api_fallback');
  ctx = await makeContext({
    databaseUrl: db.url,
    redisUrl: `redis://127.0.0.1:${port}`,
    keyPrefix: uniquePrefix('fallback'),
  });
  await vi.waitFor(async () => expect(await ctx.cache.ping()).toBe(true), { timeout: 5000, interval: 100 });
  await seedSnapshot(ctx, buildSnapshot('24h', { computedAt: new Date(Date.now() - 120_000) }));
  api = await startApi(ctx, { snapshotMaxAgeMs: 200 });
  base = `http://127.0.0.1:${api.port}`;
});

afterAll(async () => {
  await api?.stop();
  redis?.kill('SIGKILL');
  await ctx.close();
  await db.drop();
});

const metric = async (line: RegExp) => {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(line.exec(text)?.[1] ?? Number.NaN);
};

it('serves from the cache while Redis is up', async () => {
  const res = await fetch(`${base}/api/v1/stats/overview`);
  expect(res.status).toBe(200);
  expect(res.headers.get('ratelimit-remaining')).toBe('99');
  expect(
    await metric(/^nostr_info_api_cache_requests_total\{layer="cache",result="hit"\} (\d+)$/m),
  ).toBeGreaterThan(0);
  expect(await metric(/^nostr_info_cache_up (\d+)$/m)).toBe(1);
});

it('falls back to the newest Postgres snapshot when Redis is gone, and keeps answering', async () => {
  redis.kill('SIGKILL');
  await new Promise((resolve) => redis.once('exit', resolve));
  const newer = buildSnapshot('24h', { computedAt: new Date(), seed: 9 });
  await seedSnapshot(ctx, newer, { cache: false });
  await new Promise((resolve) => setTimeout(resolve, 300)); // past the in-process max age

  const started = Date.now();
  const res = await fetch(`${base}/api/v1/stats/overview`);
  expect(res.status).toBe(200);
  expect(((await res.json()) as { computed_at: string }).computed_at).toBe(newer.computed_at);
  expect(Date.now() - started).toBeLessThan(5000);
  // Rate limiting fails open (and says so in the metrics) rather than failing the request.
  expect(res.headers.get('ratelimit-remaining')).toBeNull();
  expect(await metric(/^nostr_info_api_rate_limit_errors_total (\d+)$/m)).toBeGreaterThan(0);
  expect(
    await metric(/^nostr_info_api_cache_requests_total\{layer="database",result="hit"\} (\d+)$/m),
  ).toBeGreaterThan(0);
  expect(await metric(/^nostr_info_cache_up (\d+)$/m)).toBe(0);

  const ready = await fetch(`${base}/ready`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ status: 'ready', cache: false, database: true });
});

it('503 JSON when neither the cache nor the database has a snapshot for the range', async () => {
  const res = await fetch(`${base}/api/v1/stats/full/7d`);
  expect(res.status).toBe(503);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('no_snapshot');
});
