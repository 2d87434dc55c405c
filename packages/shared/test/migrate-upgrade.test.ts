import { Migrator, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabases, type Databases } from '../src/db/factory.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { migrationProvider } from '../src/db/migrations.js';
import { currentRelayStatus } from '../src/relay/relay-status.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/test-services.js';
import { appliedMigrations } from './schema-snapshot.js';

// Upgrades run the pending migrations against a database the previous release's processes are
// still using, holding what those left behind.

/** A release before `relays.held_at` and `extra_msats` existed. */
const OLD_RELEASE = '2026-11-24T12-00-00-flush-ledger';

describe('upgrading a database in use', () => {
  let testDb: TestDatabase;
  let dbs: Databases;

  beforeEach(async () => {
    testDb = await createTestDatabase('shared_upgrade');
    dbs = await createDatabases({ databaseUrl: testDb.url, poolMax: 4 });
    const { error } = await new Migrator({ db: dbs.writer, provider: migrationProvider }).migrateTo(
      OLD_RELEASE,
    );
    expect(error).toBeUndefined();
  });

  afterEach(async () => {
    await dbs?.close();
    await testDb?.drop();
  });

  it('gives relays taken off the watched set a report time, so their old status ends', async () => {
    const dayAgo = new Date(Date.now() - 86_400_000);
    await dbs.writer
      .insertInto('relays')
      .values([
        // A seed removed from the list while online: its holder let it go and wrote nothing more.
        {
          url: 'wss://removed.example',
          source: 'seed',
          watched: false,
          status: 'online',
          last_connected_at: dayAgo,
        },
        // Discovered, probed, never admitted: its probe's finding stands.
        { url: 'wss://probed.example', source: 'discovered', watched: false, status: 'offline' },
        {
          url: 'wss://watched.example',
          source: 'seed',
          watched: true,
          status: 'online',
          last_connected_at: dayAgo,
        },
      ])
      .execute();
    expect((await migrateToLatest(dbs.writer, dbs.kind)).error).toBeUndefined();
    const rows = await dbs.writer
      .selectFrom('relays')
      .select(['url', 'status', 'watched', 'held_at'])
      .orderBy('url')
      .execute();
    const now = new Date();
    expect(Object.fromEntries(rows.map((r) => [r.url, currentRelayStatus(r, now)]))).toEqual({
      'wss://probed.example': 'offline',
      'wss://removed.example': 'unknown',
      'wss://watched.example': 'online',
    });
    expect(rows.find((r) => r.url === 'wss://removed.example')?.held_at).toEqual(dayAgo);
  });

  it('does not queue the tables it alters behind a writer: gives way and tries again', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    // A previous-release collector in the middle of a flush holds `relays` (ROW EXCLUSIVE).
    const flush = dbs.writer.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`lock table relays in row exclusive mode`.execute(conn);
      locked();
      await released;
      await sql`commit`.execute(conn);
    });
    await isLocked;
    const retries: unknown[] = [];
    let appliedAtRetry: Promise<string[]> | undefined;
    let gaveWay: () => void = () => undefined;
    const firstRetry = new Promise<void>((r) => {
      gaveWay = r;
    });
    const migrating = migrateToLatest(dbs.writer, dbs.kind, {
      lockTimeoutMs: 200,
      onRetry: (_attempt, err) => {
        retries.push(err);
        appliedAtRetry ??= appliedMigrations(dbs.writer);
        gaveWay();
      },
    });
    // The migration gives way (it does not wait for the flush), and meanwhile the relays table
    // stays readable: a waiting ALTER would queue this read behind it.
    await firstRetry;
    const read = await dbs.writer.connection().execute(async (conn) => {
      await sql`set statement_timeout = 3000`.execute(conn);
      try {
        return await sql<{ n: number }>`select count(*)::int as n from relays`.execute(conn);
      } finally {
        await sql`reset statement_timeout`.execute(conn);
      }
    });
    expect(read.rows[0]?.n).toBe(0);
    release();
    await flush;
    const result = await migrating;
    expect(result.error).toBeUndefined();
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(String((retries[0] as { code?: string }).code)).toBe('55P03');
    // Each migration commits on its own: the one before the busy table stayed applied.
    expect(await appliedAtRetry).toContain('2026-11-24T19-30-00-zap-extra-msats');
    expect(await appliedAtRetry).not.toContain('2026-11-24T19-45-00-relay-held-at');
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.columns where table_name = 'relays' and column_name = 'held_at'
    `.execute(dbs.writer);
    expect(rows[0]?.n).toBe(1);
  });
});
