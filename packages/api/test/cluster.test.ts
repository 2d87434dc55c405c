import { type MigratedTestDatabase, migratedTestDatabase, testServices } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ApiService, startApi } from '../src/server.js';
import { buildSnapshot } from './fixtures.js';
import { type ApiContext, makeContext, seedSnapshot, uniquePrefix } from './helpers.js';
import { openStream } from './sse-client.js';

/** The API on the 6-node Redis Cluster (`scripts/services/redis-cluster.sh start`). */
let db: MigratedTestDatabase;
let ctx: ApiContext;
let api: ApiService;
let base: string;

beforeAll(async () => {
  db = await migratedTestDatabase('api_cluster');
  ctx = await makeContext({
    databaseUrl: db.url,
    clusterNodes: testServices().TEST_REDIS_CLUSTER_NODES,
    keyPrefix: uniquePrefix('cluster'),
    env: { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_SECONDS: '60' },
  });
  expect(ctx.cache.kind).toBe('cluster');
  // Only in the cache: a database hit would not prove the cluster path.
  for (const range of ['24h', '7d', '30d'] as const)
    await seedSnapshot(ctx, buildSnapshot(range), { database: false });
  api = await startApi(ctx, { liveIntervalMs: 200 });
  base = `http://127.0.0.1:${api.port}`;
});

afterAll(async () => {
  await api?.stop();
  await ctx.close();
  await db.drop();
});

it('serves snapshots from the cluster, notices new ones over its pub/sub, and limits per client', async () => {
  const stream = await openStream(`${base}/api/v1/stream`);
  try {
    for (const range of ['24h', '7d', '30d']) {
      const res = await fetch(`${base}/api/v1/stats/overview?range=${range}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { range: string }).range).toBe(range);
    }
    const newer = buildSnapshot('7d', { computedAt: new Date(Date.now() + 1000), seed: 4 });
    await seedSnapshot(ctx, newer, { database: false, publish: true });
    const frame = await stream.waitFor((f) => f.event === 'snapshot');
    expect(JSON.parse(frame.data).ranges).toEqual(['7d']);
  } finally {
    stream.close();
  }
  // Budget 5: the stream and three reads used 4.
  const last = await fetch(`${base}/api/v1/stats/overview?range=7d`);
  expect(last.status).toBe(200);
  expect(last.headers.get('ratelimit-remaining')).toBe('0');
  const limited = await fetch(`${base}/api/v1/stats/overview?range=7d`);
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  const text = await (await fetch(`${base}/metrics`)).text();
  expect(text).toMatch(/nostr_info_api_cache_requests_total\{layer="cache",result="hit"\} [1-9]/);
  expect(text).not.toMatch(/layer="database",result="hit"/);
  expect(text).toMatch(/nostr_info_redis_memory_used_bytes [1-9]/);
});
