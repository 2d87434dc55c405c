import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SteadyStream, startThirdPartyRelay, type ThirdPartyRelay } from '@nostr-info/relay-sim';
import { freePort, relaysUp, truthOf, writtenFigures } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCollectorChild } from './helpers/collector-child.js';
import { CommitCutter } from './helpers/commit-cutter.js';
import { createWorld, type TestWorld } from './helpers/context.js';

// PostgreSQL crashes (an immediate stop: every connection cut, no checkpoint) while the collector
// flushes every half second, and comes back after its recovery; and, apart, flushes whose commit
// landed but whose answer was lost on the way back. A flush cut before its commit is retried with
// the next buffer; an uncertain one is settled from the flush ledger. Either way the counts equal
// what the relays accepted.

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../../scripts/services/pg-crashable.sh', import.meta.url));
/** A server of its own: crashing the machine's PostgreSQL would break every other test. */
const PORT = 5440;
const ADMIN_URL = `postgres://postgres@127.0.0.1:${PORT}/postgres`;
const pgEnv = { ...process.env, PG_CRASHABLE_PORT: String(PORT) };
const server = (...args: string[]) => run('bash', [SCRIPT, ...args], { env: pgEnv, timeout: 120_000 });
const RELAYS = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash consistency through PostgreSQL faults', () => {
  const worlds: TestWorld[] = [];
  let relays: ThirdPartyRelay[] = [];

  beforeAll(async () => {
    await server('start');
    relays = await Promise.all(Array.from({ length: RELAYS }, () => startThirdPartyRelay()));
  }, 120_000);
  afterAll(async () => {
    for (const r of relays) await r.stop();
    for (const w of worlds) await w.drop();
    await server('stop');
  }, 60_000);

  /**
   * Runs a collector on a fresh database (reached at `via(url)`) through a steady stream, doing
   * `fault` mid-stream, and checks the database against the stream's truth.
   */
  async function expectExactThrough(fault: () => Promise<void>, via = async (url: string) => url) {
    const world = await createWorld('crash-postgres', { adminUrl: ADMIN_URL });
    worlds.push(world);
    const metricsPort = await freePort();
    const collector = startCollectorChild(world, {
      DATABASE_URL: await via(world.db.url),
      RELAYS: relays.map((r) => r.url).join(','),
      POD_NAME: 'nostr-info-collector-0',
      COLLECTOR_REPLICAS: '1',
      METRICS_PORT: String(metricsPort),
      RECONCILE_INTERVAL_MS: '1000',
      FLUSH_INTERVAL_MS: '500',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
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
      await sleep(2500);
      await fault();
      await sleep(2500);
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
      expect(written).toEqual(truthOf(stream.truth()));
      expect(stream.truth().ids.size).toBeGreaterThan(60);
    } finally {
      if (collector.child.exitCode === null) collector.child.kill('SIGKILL');
    }
  }

  it('the database crashed mid-flush twice: nothing lost, nothing counted twice', async () => {
    await expectExactThrough(async () => {
      // Back at once (recovery only), then down for three seconds: flushes fail and are retried.
      expect((await server('crash', '0')).stdout).toContain('recovered');
      await sleep(2500);
      expect((await server('crash', '3')).stdout).toContain('recovered');
    });
  }, 90_000);

  it('two flushes committed with their answers lost: each counted once', async () => {
    const cutter = new CommitCutter({ host: '127.0.0.1', port: PORT }, 'collector_flushes', 2);
    try {
      await expectExactThrough(
        () => vi.waitFor(() => expect(cutter.cut).toBe(2), { timeout: 20_000, interval: 100 }),
        async (url) => {
          const proxied = new URL(url);
          proxied.port = String(await cutter.start());
          return proxied.toString();
        },
      );
    } finally {
      await cutter.stop();
    }
  }, 90_000);
});
