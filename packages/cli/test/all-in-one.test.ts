import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabases, migrationStates, migrations } from '@nostr-info/shared/db';
import { afterAll, describe, expect, it } from 'vitest';
import { CliProcess, freePort, waitForStatus } from './cli-process.js';

const NAMES = Object.keys(migrations).sort();

/**
 * The all-in-one process as the README starts it: no DATABASE_URL, no REDIS_URL. The relay list is
 * one closed loopback port so the test never dials the public relays.
 */
async function spawnAllInOne(dataDir: string): Promise<{ proc: CliProcess; port: number }> {
  const port = await freePort();
  const proc = new CliProcess(['all-in-one'], {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    METRICS_PORT: String(await freePort()),
    RELAYS: `ws://127.0.0.1:${await freePort()}`,
    DISCOVERY_ENABLED: 'false',
    STATS_INTERVAL_SECONDS: '3600',
  });
  return { proc, port };
}

async function startAllInOne(dataDir: string): Promise<{ proc: CliProcess; port: number }> {
  const started = await spawnAllInOne(dataDir);
  await waitForStatus(`http://127.0.0.1:${started.port}/health`, 200, started.proc);
  return started;
}

function migrationLines(proc: CliProcess): string[] {
  return proc
    .logs()
    .filter((l) => l.msg === 'migration' && l.status === 'Success')
    .map((l) => String(l.migration));
}

describe('nostr-info all-in-one', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nostr-info-aio-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves GET /health with an embedded database and in-process cache, and exits 0 on SIGTERM', async () => {
    const { proc, port } = await startAllInOne(dataDir);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      expect(res.status).toBe(200);
      await res.body?.cancel();
      const logs = proc.logs();
      expect(logs.find((l) => l.msg === 'database opened')).toMatchObject({
        database: 'pglite',
        readReplica: false,
      });
      expect(logs.find((l) => l.msg === 'cache selected')).toMatchObject({ cache: 'memory' });
      expect(migrationLines(proc)).toEqual(NAMES);
    } finally {
      const end = await proc.stop('SIGTERM');
      expect(end.signal).toBeNull();
      expect(end.code).toBe(0);
      expect(proc.logs().some((l) => l.msg === 'stopped')).toBe(true);
    }
  });

  it('keeps the embedded database across a restart (and SIGINT stops it too)', async () => {
    // Between runs, leave a mark in the database the first run created.
    const between = await createDatabases({ dataDir });
    try {
      expect((await migrationStates(between.writer)).filter((m) => m.executedAt).map((m) => m.name)).toEqual(
        NAMES,
      );
      await between.writer
        .insertInto('relays')
        .values({ url: 'wss://kept.example', source: 'manual' })
        .execute();
    } finally {
      await between.close();
    }

    const { proc } = await startAllInOne(dataDir);
    const end = await proc.stop('SIGINT');
    expect(end.code).toBe(0);
    // Nothing was migrated again: the schema was already there.
    expect(migrationLines(proc)).toEqual([]);

    const after = await createDatabases({ dataDir });
    try {
      const row = await after.writer
        .selectFrom('relays')
        .select(['url', 'source'])
        .where('url', '=', 'wss://kept.example')
        .executeTakeFirst();
      expect(row).toEqual({ url: 'wss://kept.example', source: 'manual' });
    } finally {
      await after.close();
    }
  });

  it('stops cleanly, exit 0, when SIGTERM arrives while it is still starting', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'nostr-info-aio-early-'));
    try {
      const { proc } = await spawnAllInOne(fresh);
      // Opening the embedded database, migrating and starting the roles are still to come.
      await proc.waitForLog((l) => l.msg === 'starting');
      const end = await proc.stop('SIGTERM', 60_000);
      expect(end.signal).toBeNull();
      expect(end.code).toBe(0);
      const logs = proc.logs();
      expect(logs.some((l) => l.msg === 'signal received while starting' && l.signal === 'SIGTERM')).toBe(
        true,
      );
      expect(logs.some((l) => l.msg === 'stopped')).toBe(true);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('refuses a second process on the same embedded database while the first keeps serving', async () => {
    const { proc: first, port } = await startAllInOne(dataDir);
    try {
      const { proc: second } = await spawnAllInOne(dataDir);
      const end = await second.finished(60_000);
      expect(end.code).toBe(1);
      expect(end.stderr).toContain(`the embedded database is in use by process ${first.child.pid}`);
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      expect(res.status).toBe(200);
      await res.body?.cancel();
    } finally {
      expect((await first.stop('SIGTERM')).code).toBe(0);
    }
  });
});
