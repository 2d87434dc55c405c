import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Cache } from '../src/cache/cache.js';
import { createRedisCache } from '../src/cache/redis-cache.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../../scripts/services/redis-cluster.sh', import.meta.url));
/** A cluster of its own, so killing a master never disturbs tests using the shared one on 7000. */
const BASE_PORT = 7100;
const env = { ...process.env, REDIS_CLUSTER_BASE_PORT: String(BASE_PORT) };

function cluster(...args: string[]) {
  return run('bash', [SCRIPT, ...args], { env, timeout: 120_000 });
}

/** During a failover commands fail for a moment: retry each for this long. */
const FAILOVER = { timeout: 15_000, interval: 200 };

/** Waits until every replica of the master on `port` has acknowledged its replication offset. */
async function replicasCaughtUp(port: number): Promise<void> {
  await vi.waitFor(
    async () => {
      const { stdout } = await run('redis-cli', ['-p', String(port), 'info', 'replication']);
      const master = Number(/master_repl_offset:(\d+)/.exec(stdout)?.[1] ?? Number.NaN);
      const replicas = [...stdout.matchAll(/^slave\d+:.*offset=(\d+)/gm)].map((m) => Number(m[1]));
      if (replicas.length === 0 || !replicas.every((offset) => offset >= master)) {
        throw new Error(`replicas of :${port} did not catch up: ${stdout}`);
      }
    },
    { timeout: 15_000, interval: 100 },
  );
}

describe('Redis Cluster cache through a master failover', () => {
  let cache: Cache;
  let listener: Cache;

  beforeAll(async () => {
    await cluster('start');
    const clusterNodes = [0, 1, 2].map((i) => ({ host: '127.0.0.1', port: BASE_PORT + i }));
    cache = createRedisCache({ clusterNodes, keyPrefix: 'test:failover:' });
    listener = createRedisCache({ clusterNodes, keyPrefix: 'test:failover:' });
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled([cache?.close(), listener?.close()]);
    await cluster('stop');
  }, 60_000);

  it('keeps data, accepts writes and keeps delivering messages after a master dies', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => `k:${i}`);
    expect(await cache.setManyIfAbsent(keys, 600)).toEqual(keys.map(() => true));
    const got: string[] = [];
    await listener.subscribe('events', (m) => got.push(m));
    await cache.publish('events', 'before');
    await expect.poll(() => got, FAILOVER).toContain('before');
    // Asynchronous replication: an acknowledged write survives a failover only once the replica
    // has it, so wait until the master's replicas report its replication offset.
    await replicasCaughtUp(BASE_PORT);

    const { stdout } = await cluster('kill-master', String(BASE_PORT));
    expect(stdout).toContain('failover done');

    // Written before the failover: still there (now served by the promoted replicas).
    const again = await vi.waitFor(() => cache.setManyIfAbsent(keys, 600), FAILOVER);
    expect(again).toEqual(keys.map(() => false));
    // New writes over every slot work.
    await vi.waitFor(() => cache.set('after', 'yes', 60), FAILOVER);
    expect(await cache.get('after')).toBe('yes');
    expect((await cache.hitWindow('rl', 60)).count).toBe(1);
    // Pub/sub survives too, whichever node carried the subscription.
    await vi.waitFor(async () => {
      await cache.publish('events', 'after');
      await sleep(100);
      expect(got).toContain('after');
    }, FAILOVER);
    expect(await cache.ping()).toBe(true);
  });
});
