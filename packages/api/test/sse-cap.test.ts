import { setTimeout as sleep } from 'node:timers/promises';
import { type MigratedTestDatabase, migratedTestDatabase, testServices } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, spawnApi, uniquePrefix } from './helpers.js';
import { openStream } from './sse-client.js';

/**
 * The per-client stream cap held in the cache: two API processes (two replicas) on one Redis, and
 * on the Redis Cluster (`scripts/services/redis-cluster.sh start`). Every test client is 127.0.0.1.
 */
const CAP = 3;
/** Short, so a killed replica's slots lapse within the test; renewed every third of it. */
const SLOT_TTL_MS = 3000;

type Stream = Awaited<ReturnType<typeof openStream>>;

let db: MigratedTestDatabase;
beforeAll(async () => {
  db = await migratedTestDatabase('api_sse_cap');
});
afterAll(async () => {
  await db?.drop();
});

/** Opens a stream; resolves with it once it is live, or with the refusal's status and code. */
async function tryOpen(url: string): Promise<{ status: number; code?: string; stream?: Stream }> {
  const stream = await openStream(`${url}/api/v1/stream`);
  if (stream.res.status === 200) {
    await stream.waitFor((f) => f.event === 'live');
    return { status: 200, stream };
  }
  const body = (await stream.res.json().catch(() => ({}))) as { error?: { code?: string } };
  return { status: stream.res.status, code: body.error?.code };
}

const backends = [
  { name: 'Redis', env: () => ({ REDIS_URL: testServices().TEST_REDIS_URL }) },
  { name: 'Redis Cluster', env: () => ({ REDIS_CLUSTER_NODES: testServices().TEST_REDIS_CLUSTER_NODES }) },
];

describe.each(backends)('SSE cap per client across two API replicas on $name', ({ env }) => {
  let a: ApiProcess;
  let b: ApiProcess;
  let spawnB: () => Promise<ApiProcess>;
  const open: Stream[] = [];

  beforeAll(async () => {
    const apiEnv = {
      DATABASE_URL: db.url,
      ...env(),
      REDIS_KEY_PREFIX: uniquePrefix('sse-cap'),
      RATE_LIMIT_MAX: '100000',
      SSE_MAX_PER_CLIENT: String(CAP),
    };
    const options = { liveIntervalMs: 200, heartbeatMs: 500, sseSlotTtlMs: SLOT_TTL_MS };
    spawnB = () => spawnApi(apiEnv, options);
    [a, b] = await Promise.all([spawnApi(apiEnv, options), spawnApi(apiEnv, options)]);
  }, 60_000);
  afterAll(async () => {
    for (const s of open) s.close();
    await Promise.allSettled([a?.stop(), b?.stop()]);
  });

  /** Opens `count` streams at once, alternating between the replicas. */
  async function burst(count: number, at: ApiProcess[] = [a, b]) {
    const results = await Promise.all(
      Array.from({ length: count }, (_, i) => tryOpen((at[i % at.length] as ApiProcess).url)),
    );
    for (const r of results) if (r.stream) open.push(r.stream);
    return results;
  }

  it('concurrent opens at both replicas never hold more than the cap', async () => {
    const results = await burst(4 * CAP);
    const accepted = results.filter((r) => r.status === 200);
    expect(accepted).toHaveLength(CAP);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r).toEqual({ status: 429, code: 'too_many_streams' });
    }
    // Still full at either replica while they stay open, also after their slots were renewed.
    for (const api of [a, b]) expect((await tryOpen(api.url)).status).toBe(429);
    await sleep(2 * SLOT_TTL_MS);
    for (const api of [a, b]) expect((await tryOpen(api.url)).status).toBe(429);
    for (const r of accepted) r.stream?.close();
  }, 30_000);

  /**
   * Opens `count` streams at `at` until all are accepted (slots given back by closes elsewhere
   * arrive asynchronously); a partial attempt closes what it got so it holds nothing.
   */
  async function burstAll(count: number, at: ApiProcess[]) {
    await expect
      .poll(
        async () => {
          const results = await burst(count, at);
          const accepted = results.filter((r) => r.status === 200).length;
          if (accepted < count) {
            for (const r of results) {
              if (!r.stream) continue;
              r.stream.close();
              open.splice(open.indexOf(r.stream), 1);
            }
          }
          return accepted;
        },
        { timeout: 10_000, interval: 250 },
      )
      .toBe(count);
  }

  it('closed streams give their slots back at every replica', async () => {
    // Slots come back once the servers saw the closes.
    await expect
      .poll(
        async () => {
          const r = await tryOpen(b.url);
          r.stream?.close();
          return r.status;
        },
        { timeout: 10_000 },
      )
      .toBe(200);
    await burstAll(CAP, [a]);
    expect((await tryOpen(b.url)).status).toBe(429);
    for (const s of open.splice(0)) s.close();
  });

  it("a killed replica's slots lapse, so its clients can reconnect elsewhere", async () => {
    // The previous test's closes give their slots back asynchronously.
    await burstAll(CAP - 1, [a]);
    const exited = new Promise((resolve) => a.child.once('exit', resolve));
    a.child.kill('SIGKILL'); // no shutdown: its slots are not given back
    await exited;
    for (const s of open.splice(0)) s.close();
    // One slot is free; the dead replica's slots still count until they lapse.
    const one = await tryOpen(b.url);
    expect(one.status).toBe(200);
    if (one.stream) open.push(one.stream);
    expect((await tryOpen(b.url)).status).toBe(429);
    await expect
      .poll(async () => (await burst(1, [b])).filter((r) => r.status === 200).length, {
        timeout: 4 * SLOT_TTL_MS,
        interval: 250,
      })
      .toBe(1);
    await expect.poll(async () => (await burst(1, [b])).filter((r) => r.status === 200).length).toBe(1);
    // Back at the cap, with every stream on the live replica.
    expect((await tryOpen(b.url)).status).toBe(429);
    a = await spawnB(); // afterAll stops it
  }, 30_000);
});
