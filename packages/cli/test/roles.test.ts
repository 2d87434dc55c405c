import { createTestDatabase, type TestDatabase, testServices } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliProcess, freePort, runCli, waitForStatus } from './cli-process.js';

/** The separate roles as Kubernetes runs them: a migrated PostgreSQL database and real Redis. */
describe('the collector and api roles', () => {
  let db: TestDatabase;
  const prefix = `test:cli:${Math.random().toString(36).slice(2)}:`;

  beforeAll(async () => {
    db = await createTestDatabase('cli_roles');
    expect((await runCli(['migrate'], { DATABASE_URL: db.url })).code).toBe(0);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('collector: serves /health on METRICS_PORT and stops cleanly on SIGTERM', async () => {
    const metricsPort = await freePort();
    const proc = new CliProcess(['collector'], {
      DATABASE_URL: db.url,
      REDIS_URL: testServices().TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      METRICS_PORT: String(metricsPort),
      RELAYS: `ws://127.0.0.1:${await freePort()}`,
      DISCOVERY_ENABLED: 'false',
    });
    try {
      await waitForStatus(`http://127.0.0.1:${metricsPort}/health`, 200, proc);
      expect(proc.logs().find((l) => l.msg === 'cache selected')).toMatchObject({ cache: 'redis' });
    } finally {
      const end = await proc.stop('SIGTERM');
      expect(end.signal).toBeNull();
      expect(end.code).toBe(0);
    }
  });

  it('api: serves /health on PORT from the Redis Cluster and PostgreSQL, and stops cleanly on SIGINT', async () => {
    const port = await freePort();
    const proc = new CliProcess(['api'], {
      DATABASE_URL: db.url,
      REDIS_CLUSTER_NODES: testServices().TEST_REDIS_CLUSTER_NODES,
      REDIS_KEY_PREFIX: prefix,
      PORT: String(port),
      HOST: '127.0.0.1',
    });
    try {
      await waitForStatus(`http://127.0.0.1:${port}/health`, 200, proc);
      expect(proc.logs().find((l) => l.msg === 'cache selected')).toMatchObject({ cache: 'cluster' });
      expect(proc.logs().find((l) => l.msg === 'database opened')).toMatchObject({ database: 'postgres' });
    } finally {
      const end = await proc.stop('SIGINT');
      expect(end.signal).toBeNull();
      expect(end.code).toBe(0);
    }
  });
});
