import { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { CacheError } from '../src/cache/cache.js';
import { createCache } from '../src/cache/factory.js';
import { createMemoryCache } from '../src/cache/memory-cache.js';
import { createRedisCache } from '../src/cache/redis-cache.js';
import { loadEnv } from '../src/config/env.js';
import { dropPrefix } from '../src/testing/redis-prefix.js';
import { parseNodes, testServices } from '../src/testing/test-services.js';
import { type CachePair, cacheContract } from './cache-contract.js';

const services = testServices();
const clusterNodes = parseNodes(services.TEST_REDIS_CLUSTER_NODES);

async function countKeys(client: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let count = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    count += keys.length;
  } while (cursor !== '0');
  return count;
}

cacheContract('memory', async (): Promise<CachePair> => {
  // The in-process cache exists once per process: both handles are the same instance.
  const cache = createMemoryCache();
  return { a: cache, b: cache, close: () => cache.close() };
});

cacheContract('redis', async (keyPrefix): Promise<CachePair> => {
  const a = createRedisCache({ url: services.TEST_REDIS_URL, keyPrefix });
  const b = createRedisCache({ url: services.TEST_REDIS_URL, keyPrefix });
  return {
    a,
    b,
    close: async () => {
      const admin = new Redis(services.TEST_REDIS_URL);
      await dropPrefix(admin, keyPrefix);
      await admin.quit();
      await Promise.all([a.close(), b.close()]);
    },
  };
});

cacheContract('cluster', async (keyPrefix): Promise<CachePair> => {
  const a = createRedisCache({ clusterNodes, keyPrefix });
  const b = createRedisCache({ clusterNodes, keyPrefix });
  const admin = new Cluster(clusterNodes);
  return {
    a,
    b,
    keysPerNode: (prefix) => Promise.all(admin.nodes('master').map((node) => countKeys(node, prefix))),
    close: async () => {
      await Promise.all(admin.nodes('master').map((node) => dropPrefix(node, keyPrefix)));
      await admin.quit();
      await Promise.all([a.close(), b.close()]);
    },
  };
});

describe('createCache', () => {
  const opened: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((c) => c.close()));
  });

  it('picks the implementation from env: cluster, single node, else memory', async () => {
    const cluster = createCache(loadEnv('api', { REDIS_CLUSTER_NODES: services.TEST_REDIS_CLUSTER_NODES }));
    const single = createCache(loadEnv('api', { REDIS_URL: services.TEST_REDIS_URL }));
    const memory = createCache(loadEnv('api', {}));
    opened.push(cluster, single, memory);
    expect([cluster.kind, single.kind, memory.kind]).toEqual(['cluster', 'redis', 'memory']);
    expect(await cluster.ping()).toBe(true);
    expect(await single.ping()).toBe(true);
  });

  it('keeps caches with different key prefixes apart on one server', async () => {
    const one = createRedisCache({ url: services.TEST_REDIS_URL, keyPrefix: 'test:shared:iso1:' });
    const two = createRedisCache({ url: services.TEST_REDIS_URL, keyPrefix: 'test:shared:iso2:' });
    opened.push(one, two);
    await one.set('k', 'one', 30);
    expect(await two.get('k')).toBeNull();
    const got: string[] = [];
    const off = await two.subscribe('chan', (m) => got.push(m));
    await one.publish('chan', 'not for two');
    await two.publish('chan', 'for two');
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toEqual(['for two']);
    await off();
    await one.del('k');
  });

  it('fails fast with CacheError, and ping answers false, when a whole Redis Cluster is away', async () => {
    const away = createRedisCache({
      clusterNodes: [{ host: '127.0.0.1', port: 1 }],
      keyPrefix: 'x:',
      commandTimeoutMs: 500,
    });
    try {
      const started = Date.now();
      // Within the first moments commands wait for the connection, then give up.
      await expect(away.get('k')).rejects.toBeInstanceOf(CacheError);
      expect(Date.now() - started).toBeLessThan(3000);
      // Once it has been away for a while, at once.
      const again = Date.now();
      await expect(away.setManyIfAbsent(['a', 'b'], 10)).rejects.toThrow(/not connected/);
      expect(Date.now() - again).toBeLessThan(100);
      expect(await away.ping()).toBe(false);
    } finally {
      await away.close();
    }
  });

  it('fails with CacheError, and ping answers false, when the server is away', async () => {
    const away = createRedisCache({ url: 'redis://127.0.0.1:1', keyPrefix: 'x:', commandTimeoutMs: 500 });
    try {
      const err = await away.get('k').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CacheError);
      expect((err as CacheError).cause).toBeInstanceOf(Error);
      expect(await away.ping()).toBe(false);
    } finally {
      await away.close();
    }
  });
});
