import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SteadyStream, startThirdPartyRelay, type ThirdPartyRelay } from '@nostr-info/relay-sim';
import { freePort, relaysUp, truthOf, writtenFigures } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCollectorChild } from './helpers/collector-child.js';
import { createWorld, type TestWorld } from './helpers/context.js';

// A collector on a Redis Cluster whose master dies mid-stream: the failover promotes a replica
// that may lack the master's last writes (replication is asynchronous), so dedup claims can be
// lost and taken again. The counts still equal what the relays accepted: a claim taken twice is
// recognised at flush time from the database.

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../../scripts/services/redis-cluster.sh', import.meta.url));
/** A cluster of its own: killing a master must not disturb tests on the shared one (7000). */
const BASE_PORT = 7200;
const clusterEnv = { ...process.env, REDIS_CLUSTER_BASE_PORT: String(BASE_PORT) };
const cluster = (...args: string[]) => run('bash', [SCRIPT, ...args], { env: clusterEnv, timeout: 120_000 });
const RELAYS = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash consistency through a Redis Cluster master failover', () => {
  let world: TestWorld;
  let relays: ThirdPartyRelay[] = [];

  beforeAll(async () => {
    await cluster('start');
    world = await createWorld('crash-cluster');
    relays = await Promise.all(Array.from({ length: RELAYS }, () => startThirdPartyRelay()));
  }, 120_000);
  afterAll(async () => {
    for (const r of relays) await r.stop();
    await world?.drop();
    await cluster('stop');
  }, 60_000);

  it('a master killed mid-stream: nothing lost, nothing counted twice', async () => {
    const metricsPort = await freePort();
    const collector = startCollectorChild(world, {
      RELAYS: relays.map((r) => r.url).join(','),
      REDIS_URL: '',
      REDIS_CLUSTER_NODES: [0, 1, 2].map((i) => `127.0.0.1:${BASE_PORT + i}`).join(','),
      POD_NAME: 'nostr-info-collector-0',
      COLLECTOR_REPLICAS: '1',
      METRICS_PORT: String(metricsPort),
      RECONCILE_INTERVAL_MS: '1000',
      FLUSH_INTERVAL_MS: '1000',
      LOG_LEVEL: 'error',
    });
    try {
      await vi.waitFor(
        async () => {
          const up = await relaysUp(`http://127.0.0.1:${metricsPort}/metrics`);
          if (up !== RELAYS) throw new Error(`${up} of ${RELAYS} relays subscribed`);
        },
        { timeout: 30_000, interval: 200 },
      );
      const stream = new SteadyStream({
        urls: relays.map((r) => r.url),
        rate: 40,
        copies: 3,
        spreadMs: 1000,
      });
      await stream.start();
      await sleep(3000);
      const { stdout } = await cluster('kill-master', String(BASE_PORT));
      expect(stdout).toContain('failover done');
      await sleep(4000);
      await stream.stop();
      await sleep(3000);
      collector.child.kill('SIGTERM');
      expect(await collector.exited).toBe(0);
      stream.close();
      const check = await world.context({ RELAYS: relays[0]?.url ?? '' });
      const written = await writtenFigures(
        check.dbs.reader,
        relays.map((r) => r.url),
      );
      expect(stream.truth().ids.size).toBeGreaterThan(300);
      expect(written).toEqual(truthOf(stream.truth()));
    } finally {
      if (collector.child.exitCode === null) collector.child.kill('SIGKILL');
    }
  });
});
