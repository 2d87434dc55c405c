import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fullSnapshotSchema } from '@nostr-info/shared/stats';
import { type MigratedTestDatabase, migratedTestDatabase, testServices } from '@nostr-info/shared/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runScheduler } from '../src/scheduler.js';
import { createTestContext, type TestContext } from './context.js';
import { NOW, networkEvents, seedDataset } from './fixture.js';

const script = fileURLToPath(new URL('../../../scripts/services/pg-replica.sh', import.meta.url));

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** Replication is asynchronous: how long to wait for the replica to show a write. */
const REPLICATION = { timeout: 20_000, interval: 100 };

/** Waits until the replica has replayed everything the primary has written so far. */
async function caughtUp(primaryUrl: string, replicaUrl: string): Promise<void> {
  const [lsn] = await query<{ lsn: string }>(primaryUrl, 'select pg_current_wal_lsn()::text as lsn');
  await vi.waitFor(async () => {
    const [r] = await query<{ ok: boolean }>(
      replicaUrl,
      `select pg_last_wal_replay_lsn() >= '${lsn?.lsn}'::pg_lsn as ok`,
    );
    expect(r?.ok, 'the replica to catch up').toBe(true);
  }, REPLICATION);
}

describe('reading from the streaming replica, writing to the primary', () => {
  const services = testServices();
  let database: MigratedTestDatabase;
  let replicaUrl: string;
  let t: TestContext;

  beforeAll(async () => {
    await promisify(execFile)('bash', [script, 'start'], { timeout: 110_000 });
    database = await migratedTestDatabase('scheduler_replica', { adminUrl: services.TEST_PG_PRIMARY_URL });
    replicaUrl = withDatabase(services.TEST_PG_REPLICA_URL, database.name);
    await vi.waitFor(() => query(replicaUrl, 'select 1'), REPLICATION);
    t = await createTestContext('postgres', { database, readUrl: replicaUrl });
    expect(t.dbs.readerIsReplica).toBe(true);
    await seedDataset(t.dbs.writer);
    await caughtUp(database.url, replicaUrl);
  }, 120_000);

  afterAll(async () => {
    await query(services.TEST_PG_REPLICA_URL, 'select pg_wal_replay_resume()').catch(() => undefined);
    await t?.close();
    await database?.drop();
  });

  it('computes from the replica (frozen behind the primary) and stores on the primary', async () => {
    // Freeze the replica, then add 1000 events on the primary: the snapshot must not see them.
    await query(services.TEST_PG_REPLICA_URL, 'select pg_wal_replay_pause()');
    await networkEvents(t.dbs.writer, 1, '2026-11-24T12:15:00Z', 1000);
    try {
      const result = await runScheduler(t.ctx, { now: () => NOW });
      expect(result.error).toBeUndefined();
    } finally {
      await query(services.TEST_PG_REPLICA_URL, 'select pg_wal_replay_resume()');
    }
    const rows = await query<{ range: string; body: unknown }>(
      database.url,
      "select range, body from statistics_snapshots where range = '24h'",
    );
    expect(rows).toHaveLength(1);
    const snapshot = fullSnapshotSchema.parse(rows[0]?.body);
    expect(snapshot.overview.events.unique).toBe(16);
    // The primary has the extra events; the replica, once resumed, gets the snapshots.
    const [primary] = await query<{ n: string }>(
      database.url,
      'select sum(events)::text as n from network_events_daily',
    );
    expect(primary?.n).toBe(String(194 + 1000));
    await caughtUp(database.url, replicaUrl);
    // Replication is asynchronous: wait until the five snapshot rows are visible on the replica.
    await expect
      .poll(() => query(replicaUrl, 'select id from statistics_snapshots'), REPLICATION)
      .toHaveLength(5);
  });
});
