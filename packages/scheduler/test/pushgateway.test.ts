import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runScheduler } from '../src/scheduler.js';
import { createTestContext, type TestContext } from './context.js';
import { NOW, seedDataset } from './fixture.js';

/** Debian's prometheus-pushgateway (`apt-get install prometheus-pushgateway`). */
const PUSHGATEWAY_BIN = '/usr/bin/prometheus-pushgateway';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

describe('pushing run metrics to a real Pushgateway', () => {
  let gateway: ChildProcess;
  let url: string;
  let t: TestContext;

  beforeAll(async () => {
    if (!existsSync(PUSHGATEWAY_BIN)) {
      throw new Error(
        `${PUSHGATEWAY_BIN} is missing: run scripts/services/ensure-tools.sh (pnpm test:all does)`,
      );
    }
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    gateway = spawn(PUSHGATEWAY_BIN, [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file='], {
      stdio: 'ignore',
    });
    await vi.waitFor(async () => expect((await fetch(`${url}/-/ready`)).status).toBe(200), {
      timeout: 10_000,
      interval: 100,
    });
    t = await createTestContext('pglite', { env: { PUSHGATEWAY_URL: url } });
    await seedDataset(t.dbs.writer);
  });
  afterAll(async () => {
    gateway?.kill('SIGTERM');
    await t?.close();
  });

  it('pushes the success time and per-range durations under job nostr_info_scheduler', async () => {
    const result = await runScheduler(t.ctx, { now: () => NOW });
    expect(result.error).toBeUndefined();
    const text = await (await fetch(`${url}/metrics`)).text();
    const lines = text.split('\n').filter((l) => l.startsWith('nostr_info_stats_'));
    const success = lines.find((l) => l.startsWith('nostr_info_stats_last_success_timestamp_seconds{'));
    expect(success).toContain('job="nostr_info_scheduler"');
    // The success time is the run's clock plus its duration.
    const value = Number(success?.split(' ').at(-1));
    expect(value).toBeGreaterThanOrEqual(NOW.getTime() / 1000);
    expect(value).toBeLessThan(NOW.getTime() / 1000 + 60);
    const durations = lines.filter((l) => l.startsWith('nostr_info_stats_duration_seconds{'));
    expect(durations.map((l) => /range="([^"]+)"/.exec(l)?.[1]).sort()).toEqual([
      '24h',
      '30d',
      '7d',
      '90d',
      'all',
    ]);
    for (const l of durations) expect(Number(l.split(' ').at(-1))).toBeGreaterThanOrEqual(0);
  });
});

describe('an unreachable Pushgateway', () => {
  it('does not fail the run: the snapshots are stored and the push is only logged', async () => {
    const t = await createTestContext('pglite', { env: { PUSHGATEWAY_URL: 'http://127.0.0.1:1' } });
    try {
      await seedDataset(t.dbs.writer);
      const result = await runScheduler(t.ctx, { now: () => NOW });
      expect(result.error).toBeUndefined();
      expect(result.results).toHaveLength(5);
      const rows = await t.dbs.writer.selectFrom('statistics_snapshots').select('id').execute();
      expect(rows).toHaveLength(5);
    } finally {
      await t.close();
    }
  });
});
