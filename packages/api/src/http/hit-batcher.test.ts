import { randomBytes } from 'node:crypto';
import { type Cache, createCache } from '@nostr-info/shared/cache';
import { loadEnv } from '@nostr-info/shared/config';
import { testServices } from '@nostr-info/shared/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createHitBatcher, type HitBatcher } from './hit-batcher.js';

/** Two caches on one Redis, as two API replicas; `trips` counts their round trips. */
const keyPrefix = `test:api:batcher:${randomBytes(4).toString('hex')}:`;
const env = loadEnv('api', { REDIS_URL: testServices().TEST_REDIS_URL, REDIS_KEY_PREFIX: keyPrefix });
const caches = [createCache(env), createCache(env)];
let trips = 0;
const counted = (cache: Cache): Cache => ({
  ...cache,
  hitWindow(key, windowSeconds, hits) {
    trips++;
    return cache.hitWindow(key, windowSeconds, hits);
  },
});
const replicas = (limit: number): [HitBatcher, HitBatcher] => {
  const [a, b] = caches.map((cache) =>
    createHitBatcher({ cache: counted(cache), windowSeconds: 60, limit, timeoutMs: 2000 }),
  );
  if (!a || !b) throw new Error('setup');
  return [a, b];
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(async () => {
  await Promise.all(caches.map((c) => c.close()));
});

describe('hit batcher', () => {
  it('numbers concurrent hits on two replicas 1..n exactly once, in far fewer round trips', async () => {
    const [a, b] = replicas(10); // a budget this small gets no leases
    trips = 0;
    const hits = await Promise.all(Array.from({ length: 400 }, (_, i) => (i % 2 ? a : b).hit('burst')));
    expect(hits.map((h) => h.count).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 400 }, (_, i) => i + 1),
    );
    for (const h of hits) expect(h.resetMs).toBeGreaterThan(50_000);
    expect(trips).toBeLessThan(20); // each replica's hits of one turn share one INCRBY
    const [x, y] = await Promise.all([a.hit('other'), a.hit('burst')]);
    expect(x.count).toBe(1); // other keys count on their own
    expect(y.count).toBeGreaterThan(10); // past the budget, answered locally
  });

  /** `rounds` rounds of `size` concurrent hits, each round after the previous one is answered. */
  const waves = async (pick: (i: number) => HitBatcher, key: string, rounds: number, size: number) => {
    const counts: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const hits = await Promise.all(Array.from({ length: size }, (_, i) => pick(r * size + i).hit(key)));
      counts.push(...hits.map((h) => h.count));
    }
    return counts;
  };

  it('serves a busy client on one replica from growing leases, without losing a position', async () => {
    const [a] = replicas(10_000);
    trips = 0;
    const counts = await waves(() => a, 'rapid', 30, 10);
    expect(counts.sort((x, y) => x - y)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(trips).toBeLessThan(20);
  });

  it('serves a busy client whose hits come one per turn from leases, without losing a position', async () => {
    const [a] = replicas(10_000);
    trips = 0;
    const pending: Promise<{ count: number }>[] = [];
    for (let i = 0; i < 300; i++) {
      pending.push(Promise.resolve(a.hit('trickle')));
      await new Promise((r) => setImmediate(r));
    }
    const counts = (await Promise.all(pending)).map((h) => h.count);
    expect([...counts].sort((x, y) => x - y)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(counts).toEqual([...counts].sort((x, y) => x - y)); // in arrival order
    expect(trips).toBeLessThan(40);
  });

  it('one request at a time gets no lease: every position, in order', async () => {
    const [a] = replicas(10_000);
    const seen: number[] = [];
    for (let i = 0; i < 50; i++) seen.push((await a.hit('sequential')).count);
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('never allows more than the budget to a busy client on two replicas, and loses at most a lease each', async () => {
    const budget = 160; // leases of up to 10
    const [a, b] = replicas(budget);
    trips = 0;
    const counts = await waves((i) => (i % 3 ? a : b), 'two-replicas', 40, 10);
    const allowed = counts.filter((c) => c <= budget);
    expect(new Set(allowed).size).toBe(allowed.length);
    expect(allowed.length).toBeLessThanOrEqual(budget);
    expect(allowed.length).toBeGreaterThanOrEqual(budget - 2 * 10);
    expect(trips).toBeLessThan(80);
  });

  it('a client alternating between replicas slowly gets every position, in order', async () => {
    const [a, b] = replicas(10_000);
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      seen.push((await (i % 2 ? a : b).hit('slow')).count);
      await sleep(70);
    }
    expect(seen).toEqual(Array.from({ length: 8 }, (_, i) => i + 1));
  });

  it('answers hits past the budget without asking the store again', async () => {
    const [a] = replicas(20);
    let last = 0;
    for (let i = 0; i < 21; i++) last = (await a.hit('over')).count;
    expect(last).toBeGreaterThan(20);
    trips = 0;
    for (let i = 0; i < 50; i++) {
      const hit = a.hit('over');
      expect(hit).not.toBeInstanceOf(Promise);
      expect((await hit).count).toBeGreaterThan(20);
    }
    expect(trips).toBe(0);
  });

  it('fails every hit of a batch when the store is away', async () => {
    const dead = createCache(
      loadEnv('api', { REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: keyPrefix }),
    );
    try {
      const batcher = createHitBatcher({ cache: dead, windowSeconds: 60, limit: 100, timeoutMs: 300 });
      const results = await Promise.allSettled([batcher.hit('k'), batcher.hit('k')]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    } finally {
      await dead.close();
    }
  });
});
