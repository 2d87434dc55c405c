import { randomBytes } from 'node:crypto';
import { type Cache, createCache, loadEnv } from '@nostr-info/shared';
import { testServices } from '@nostr-info/shared/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createHitBatcher } from './hit-batcher.js';

/** Two caches on one Redis, as two API replicas; each counts its round trips. */
const keyPrefix = `test:api:batcher:${randomBytes(4).toString('hex')}:`;
const env = loadEnv('api', { REDIS_URL: testServices().TEST_REDIS_URL, REDIS_KEY_PREFIX: keyPrefix });
const caches = [createCache(env), createCache(env)];
const trips = [0, 0];
const counted = (cache: Cache, i: number): Cache => ({
  ...cache,
  hitWindow(key, windowSeconds, hits) {
    trips[i] = (trips[i] ?? 0) + 1;
    return cache.hitWindow(key, windowSeconds, hits);
  },
});
const [a, b] = caches.map((cache, i) =>
  createHitBatcher({ cache: counted(cache, i), windowSeconds: 60, timeoutMs: 2000 }),
);

afterAll(async () => {
  await Promise.all(caches.map((c) => c.close()));
});

describe('hit batcher', () => {
  it('numbers concurrent hits on two replicas 1..n exactly once, in far fewer round trips', async () => {
    if (!a || !b) throw new Error('setup');
    trips[0] = trips[1] = 0;
    const hits = await Promise.all(Array.from({ length: 400 }, (_, i) => (i % 2 ? a : b).hit('burst')));
    const counts = hits.map((h) => h.count).sort((x, y) => x - y);
    expect(counts).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    for (const h of hits) expect(h.resetMs).toBeGreaterThan(50_000);
    // Each replica's hits of one turn share one INCRBY.
    expect((trips[0] ?? 0) + (trips[1] ?? 0)).toBeLessThan(20);
    // Other keys count on their own, in the same turn.
    const [x, y] = await Promise.all([a.hit('other'), a.hit('burst')]);
    expect(x.count).toBe(1);
    expect(y.count).toBe(401);
  });

  it('a client alternating between replicas one request at a time gets every hit, in order', async () => {
    if (!a || !b) throw new Error('setup');
    const seen: number[] = [];
    for (let i = 0; i < 30; i++) seen.push((await (i % 2 ? a : b).hit('slow')).count);
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('hits arriving while a round trip is in flight go in the next batch, numbered after it', async () => {
    if (!a) throw new Error('setup');
    const first = a.hit('chain');
    await new Promise((r) => setImmediate(r)); // the first batch is on the wire now
    const later = Array.from({ length: 10 }, () => a.hit('chain'));
    expect((await first).count).toBe(1);
    expect((await Promise.all(later)).map((h) => h.count)).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 2),
    );
  });

  it('fails every hit of a batch when the store is away', async () => {
    const dead = createCache(
      loadEnv('api', { REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: keyPrefix }),
    );
    try {
      const batcher = createHitBatcher({ cache: dead, windowSeconds: 60, timeoutMs: 300 });
      const results = await Promise.allSettled([batcher.hit('k'), batcher.hit('k')]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    } finally {
      await dead.close();
    }
  });
});
