import { type Cache, createCache } from '@nostr-info/shared';
import { testServices } from '@nostr-info/shared/testing';
import { afterAll, describe, expect, it } from 'vitest';
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
