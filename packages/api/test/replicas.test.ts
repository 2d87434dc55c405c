import { connect } from 'node:net';
import { LIVE_CHANNEL } from '@nostr-info/shared/stats';
import { type MigratedTestDatabase, migratedTestDatabase, testServices } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildSnapshot } from './fixtures.js';
import {
  type ApiContext,
  type ApiProcess,
  makeContext,
  seedSnapshot,
  spawnApi,
  uniquePrefix,
} from './helpers.js';
import { openStream } from './sse-client.js';

/** Two API processes on one Redis and one Postgres, as two replicas behind a load balancer. */
const BUDGET = 40;
let db: MigratedTestDatabase;
let ctx: ApiContext;
let a: ApiProcess;
let b: ApiProcess;

beforeAll(async () => {
  db = await migratedTestDatabase('api_replicas');
  const keyPrefix = uniquePrefix('replicas');
  const redisUrl = testServices().TEST_REDIS_URL;
  ctx = await makeContext({ databaseUrl: db.url, redisUrl, keyPrefix });
  await seedSnapshot(ctx, buildSnapshot('24h'));
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    RATE_LIMIT_MAX: String(BUDGET),
    RATE_LIMIT_WINDOW_SECONDS: '120',
    SSE_MAX_PER_CLIENT: '2',
  };
  const options = { liveIntervalMs: 200, heartbeatMs: 500, sseRetryMs: 1500 };
  [a, b] = await Promise.all([spawnApi(env, options), spawnApi(env, options)]);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await ctx.close();
  await db.drop();
});

describe('SSE across replicas', () => {
  it('delivers a snapshot message to clients of both processes, and live figures summed over collectors', async () => {
    const sa = await openStream(`${a.url}/api/v1/stream`);
    const sb = await openStream(`${b.url}/api/v1/stream`);
    try {
      expect(sa.res.status).toBe(200);
      expect(sa.res.headers.get('content-type')).toContain('text/event-stream');
      await sa.waitFor((f) => f.event === 'live');
      await sb.waitFor((f) => f.event === 'live');
      expect(sa.frames.some((f) => f.retry === 1500)).toBe(true);

      const newer = buildSnapshot('24h', { computedAt: new Date(), seed: 3 });
      await seedSnapshot(ctx, newer, { publish: true });
      for (const s of [sa, sb]) {
        const frame = await s.waitFor((f) => f.event === 'snapshot');
        expect(JSON.parse(frame.data)).toEqual({ computed_at: newer.computed_at, ranges: ['24h'] });
      }
      // The new snapshot is what both replicas now serve.
      for (const api of [a, b]) {
        const body = (await (await fetch(`${api.url}/api/v1/stats/overview`)).json()) as {
          computed_at: string;
        };
        expect(body.computed_at).toBe(newer.computed_at);
      }

      const report = (replica: string, connected: number, notes: number) =>
        JSON.stringify({
          at: new Date().toISOString(),
          events_per_second_by_kind: { '1': notes, '7': 1 },
          relays_connected: connected,
          relays_owned: connected + 1,
          replica,
        });
      await ctx.cache.publish(LIVE_CHANNEL, report('collector-0', 10, 5));
      await ctx.cache.publish(LIVE_CHANNEL, report('collector-1', 7, 2.5));
      await ctx.cache.publish(LIVE_CHANNEL, report('collector-1', 8, 3)); // newest per replica wins
      for (const s of [sa, sb]) {
        const live = await s.waitFor((f) => f.event === 'live' && JSON.parse(f.data).collectors === 2);
        expect(JSON.parse(live.data)).toMatchObject({
          relays_online: 18,
          relays_owned: 20,
          events_per_second: 10,
          events_per_second_by_kind: { '1': 8, '7': 2 },
        });
      }
    } finally {
      sa.close();
      sb.close();
    }
  });

  it('caps open streams per client with a JSON 429', async () => {
    // The streams the previous case closed give their slots back asynchronously (the server
    // notices the close): wait for them rather than count them against this case's two.
    const openWhenFree = () =>
      vi.waitFor(
        async () => {
          const s = await openStream(`${a.url}/api/v1/stream`);
          if (s.res.status === 429) {
            s.close();
            throw new Error('every stream slot of this client is still taken');
          }
          return s;
        },
        { timeout: 10_000, interval: 50 },
      );
    const s1 = await openWhenFree();
    const s2 = await openWhenFree();
    try {
      await s1.waitFor((f) => f.event === 'live');
      await s2.waitFor((f) => f.event === 'live');
      const third = await fetch(`${a.url}/api/v1/stream`);
      expect(third.status).toBe(429);
      expect(((await third.json()) as { error: { code: string } }).error.code).toBe('too_many_streams');
    } finally {
      s1.close();
      s2.close();
    }
    // HEAD opens no stream, so it cannot pin a slot.
    for (let i = 0; i < 3; i++)
      expect((await fetch(`${a.url}/api/v1/stream`, { method: 'HEAD' })).status).toBe(200);
    // Closed streams free their slots.
    await expect
      .poll(async () => {
        const res = await fetch(`${a.url}/api/v1/stream`);
        await res.body?.cancel();
        return res.status;
      })
      .toBe(200);
  });
});

describe('rate limit shared by replicas', () => {
  it('the sum of allowed requests over both processes never exceeds the budget', async () => {
    const first = await fetch(`${a.url}/api/v1/stats/overview`);
    expect(first.status).toBe(200);
    const remaining = Number(first.headers.get('ratelimit-remaining'));
    expect(remaining).toBeGreaterThan(5);
    expect(remaining).toBeLessThan(BUDGET);
    const results = await Promise.all(
      Array.from({ length: 3 * BUDGET }, (_, i) =>
        fetch(`${(i % 2 ? a : b).url}/api/v1/stats/overview`).then(async (res) => ({
          status: res.status,
          retryAfter: res.headers.get('retry-after'),
          body: await res.text(),
        })),
      ),
    );
    const allowed = results.filter((r) => r.status === 200).length;
    const limited = results.filter((r) => r.status === 429);
    // Never more than the budget. A burst at two replicas may leave each replica's last lease
    // unused (at most limit / 16 hits each, see hit-batcher.ts), which counts as spent.
    const leaseCap = Math.min(64, Math.floor(BUDGET / 16));
    expect(allowed).toBeLessThanOrEqual(remaining);
    expect(allowed).toBeGreaterThanOrEqual(remaining - 2 * leaseCap);
    expect(limited.length).toBe(3 * BUDGET - allowed);
    expect(Number(limited[0]?.retryAfter)).toBeGreaterThan(0);
    expect(JSON.parse(limited[0]?.body ?? '{}').error.code).toBe('rate_limited');
  });

  it('a spoofed X-Forwarded-For does not reset the budget when no proxy is trusted', async () => {
    for (const xff of ['203.0.113.7', '198.51.100.1, 203.0.113.9', 'garbage']) {
      const res = await fetch(`${b.url}/api/v1/stats/overview`, { headers: { 'X-Forwarded-For': xff } });
      expect(res.status, xff).toBe(429);
      expect(res.headers.get('ratelimit-remaining')).toBe('0');
    }
  });

  it('health, readiness, metrics and docs stay reachable while limited', async () => {
    for (const path of ['/health', '/ready', '/metrics', '/api/v1/docs', '/api/v1/openapi.json']) {
      expect((await fetch(`${a.url}${path}`)).status, path).toBe(200);
    }
    const metrics = await (await fetch(`${a.url}/metrics`)).text();
    expect(metrics).toMatch(/nostr_info_api_rate_limited_total [1-9]/);
  });
});

describe('graceful shutdown', () => {
  it('ends open streams with a retry hint and finishes a response in flight', async () => {
    const keyPrefix = uniquePrefix('shutdown');
    const ctx2 = await makeContext({
      databaseUrl: db.url,
      redisUrl: testServices().TEST_REDIS_URL,
      keyPrefix,
    });
    // A body far larger than the socket buffers, so its response is still being written at SIGTERM.
    await seedSnapshot(ctx2, buildSnapshot('90d', { relays: 20_000 }), { database: false });
    await ctx2.close();
    const c = await spawnApi({
      DATABASE_URL: db.url,
      REDIS_URL: testServices().TEST_REDIS_URL,
      REDIS_KEY_PREFIX: keyPrefix,
    });
    const s = await openStream(`${c.url}/api/v1/stream`);
    await s.waitFor((f) => f.event === 'live');
    expect((await fetch(`${c.url}/api/v1/stats/full/90d`)).status).toBe(200); // warm the copy

    const socket = connect(c.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const firstChunk = new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise<void>((resolve) => socket.once('end', () => resolve()));
    socket.write('GET /api/v1/stats/full/90d HTTP/1.1\r\nHost: x\r\n\r\n');
    await firstChunk;
    socket.pause(); // a slow reader: the server cannot finish writing yet
    const exited = new Promise<number | null>((resolve) => c.child.once('exit', (code) => resolve(code)));
    c.child.kill('SIGTERM');
    await s.untilEnd();
    const last = s.frames.at(-1);
    expect(last?.event).toBe('shutdown');
    expect(last?.retry).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    socket.resume();
    await ended;
    const raw = Buffer.concat(chunks);
    const split = raw.indexOf('\r\n\r\n');
    const head = raw.subarray(0, split).toString();
    expect(head).toMatch(/^HTTP\/1.1 200/);
    const length = Number(/content-length: (\d+)/i.exec(head)?.[1]);
    expect(length).toBeGreaterThan(5_000_000);
    expect(raw.length - split - 4).toBe(length);
    expect(await exited).toBe(0);
  });
});
