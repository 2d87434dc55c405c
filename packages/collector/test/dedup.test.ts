import { type ChildProcess, spawn } from 'node:child_process';
import { type Cache, createCache } from '@nostr-info/shared/cache';
import { freePort, testServices } from '@nostr-info/shared/testing';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { NetworkDedup } from '../src/dedup/dedup.js';

// Network-wide dedup on the real Redis: replicas claiming the same ids at once count each once,
// and a reply lost after the write landed (the classic timeout) is not mistaken for a duplicate.

const prefix = `test:collector:dedup:${Math.random().toString(36).slice(2)}:`;
const cache = createCache({
  REDIS_URL: testServices().TEST_REDIS_URL,
  REDIS_KEY_PREFIX: prefix,
  REDIS_CLUSTER_NODES: undefined,
});

afterAll(() => cache.close());

describe('NetworkDedup', () => {
  it('lets exactly one of several replicas claim each id', async () => {
    const replicas = [0, 1, 2].map(() => new NetworkDedup({ cache, ttlSeconds: 60 }));
    const ids = Array.from({ length: 3000 }, (_, i) => `race-${i}`);
    const answers = await Promise.all(
      ids.flatMap((id) => replicas.map((r) => r.claim(id).then((first) => (first ? 1 : 0)))),
    );
    expect(answers.reduce((a: number, b) => a + b, 0)).toBe(ids.length);
  });

  it('recognises its own claim when the answer to a landed write was lost', async () => {
    let lose = 3;
    // The write reaches Redis; only the reply is lost, as with a command timeout.
    const lossy: Cache = {
      ...cache,
      setIfAbsent: async (key, value, ttl) => {
        const stored = await cache.setIfAbsent(key, value, ttl);
        if (lose-- > 0) throw new Error('Command timed out');
        return stored;
      },
      get: (key) => cache.get(key),
    };
    const dedup = new NetworkDedup({ cache: lossy, ttlSeconds: 60, retryMs: 10 });
    const other = new NetworkDedup({ cache, ttlSeconds: 60 });
    const mine = await Promise.all(['lost-1', 'lost-2', 'lost-3'].map((id) => dedup.claim(id)));
    expect(mine).toEqual([true, true, true]);
    expect(await other.claim('lost-1')).toBe(false);
  });
});

/** A Redis of the test's own (redis-server from the machine), to take away and bring back. */
async function ownRedis(port: number): Promise<ChildProcess> {
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const probe = createCache({
    REDIS_URL: `redis://127.0.0.1:${port}`,
    REDIS_KEY_PREFIX: 'probe:',
    REDIS_CLUSTER_NODES: undefined,
  });
  try {
    await vi.waitFor(async () => expect(await probe.ping(), 'own redis-server up').toBe(true), {
      timeout: 10_000,
    });
  } finally {
    await probe.close();
  }
  return server;
}

describe('NetworkDedup while Redis is away', () => {
  const servers: ChildProcess[] = [];
  const caches: Cache[] = [];
  afterAll(async () => {
    for (const c of caches) await c.close().catch(() => undefined);
    for (const s of servers) s.kill('SIGKILL');
  });
  const awayCache = async () => {
    const port = await freePort();
    const c = createCache({
      REDIS_URL: `redis://127.0.0.1:${port}`,
      REDIS_KEY_PREFIX: prefix,
      REDIS_CLUSTER_NODES: undefined,
    });
    caches.push(c);
    return { port, cache: c };
  };

  it('settles every waiting claim within a few retries once Redis is back', async () => {
    const { port, cache: away } = await awayCache();
    let errors = 0;
    const dedup = new NetworkDedup({
      cache: away,
      ttlSeconds: 60,
      retryMs: 200,
      maxRetryMs: 400,
      onError: () => errors++,
    });
    const ids = Array.from({ length: 1500 }, (_, i) => `away-${i}`);
    const answers = Promise.all(ids.map((id) => dedup.claim(id)));
    await expect
      .poll(() => errors, { timeout: 10_000, message: 'claims failing while Redis is away' })
      .toBeGreaterThanOrEqual(3);
    expect(dedup.waiting).toBe(ids.length);
    servers.push(await ownRedis(port));
    const back = Date.now();
    // Before, each failed id waited for its own retry one after another: 1,500 ids took minutes.
    expect(await answers).toEqual(ids.map(() => true));
    expect(Date.now() - back).toBeLessThan(5000);
    expect(dedup.waiting).toBe(0);
  });

  it('settles waiting claims as unknown on close, at once and with no retry left running', async () => {
    const { cache: away } = await awayCache();
    let errors = 0;
    const dedup = new NetworkDedup({ cache: away, ttlSeconds: 60, retryMs: 60_000, onError: () => errors++ });
    const answers = Promise.all(['x', 'y', 'z'].map((id) => dedup.claim(id)));
    await expect
      .poll(() => errors, { timeout: 10_000, message: 'claims failing while Redis is away' })
      .toBeGreaterThanOrEqual(1);
    const closedAt = Date.now();
    await dedup.close();
    expect(await answers).toEqual([undefined, undefined, undefined]);
    expect(Date.now() - closedAt).toBeLessThan(1000);
    expect(await dedup.claim('after-close')).toBeUndefined();
  });

  it('answers the claims already sent before close resolves', async () => {
    const dedup = new NetworkDedup({ cache, ttlSeconds: 60 });
    let settled = 0;
    const claims = Array.from({ length: 1200 }, (_, i) =>
      dedup.claim(`closing-${i}`).then((first) => {
        settled += 1;
        return first;
      }),
    );
    // Let the first batch go out, then close while it (or the next) is on the wire.
    await new Promise((r) => setImmediate(r));
    await dedup.close();
    expect(settled).toBe(claims.length);
    const answers = await Promise.all(claims);
    expect(answers.filter((a) => a === true).length).toBeGreaterThan(0);
    expect(answers.every((a) => a === true || a === undefined)).toBe(true);
  });
});
