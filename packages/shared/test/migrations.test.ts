import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabases, type Databases } from '../src/db/factory.js';
import { migrateDown, migrateDownAll, migrateToLatest } from '../src/db/migrate.js';
import { migrations } from '../src/db/migrations.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/test-services.js';
import { appliedMigrations, describeSchema, relationNames } from './schema-snapshot.js';

const NAMES = Object.keys(migrations).sort();

/** What the product relies on; later migrations may add more, never less. */
const REQUIRED_TABLES = [
  'active_users',
  'clients',
  'events_aggregated',
  'events_aggregated_daily',
  'network_events_daily',
  'network_events_hourly',
  'pubkeys',
  'relay_health_hourly',
  'relay_logs',
  'relays',
  'statistics_snapshots',
  'zaps_daily',
  'zaps_hourly',
];
const REQUIRED_VIEWS = ['daily_network_stats', 'relay_health_summary'];

/** Up, check, down, check, up again: the same on every engine. */
async function upDownUp(dbs: Databases): Promise<string[]> {
  const up = await migrateToLatest(dbs.writer, dbs.kind);
  expect(up.error).toBeUndefined();
  expect(up.results?.map((r) => [r.migrationName, r.direction, r.status])).toEqual(
    NAMES.map((name) => [name, 'Up', 'Success']),
  );
  expect(await appliedMigrations(dbs.writer)).toEqual(NAMES);
  const after = await relationNames(dbs.writer);
  expect(after.tables).toEqual(expect.arrayContaining(REQUIRED_TABLES));
  expect(after.views).toEqual(expect.arrayContaining(REQUIRED_VIEWS));
  const schema = await describeSchema(dbs.writer);

  // The schema is usable: a relay row, an additive upsert and both views answer.
  const [relay] = await sql<{ id: number }>`
    insert into relays (url, source) values ('wss://relay.example', 'seed') returning id
  `
    .execute(dbs.writer)
    .then((r) => r.rows);
  expect(typeof relay?.id).toBe('number');
  for (let i = 0; i < 2; i++) {
    await sql`
      insert into events_aggregated (hour, relay_id, kind, events) values (date_trunc('hour', now()), ${relay?.id}, 1, 5)
      on conflict (hour, relay_id, kind) do update set events = events_aggregated.events + excluded.events
    `.execute(dbs.writer);
  }
  const summary = await sql<{ events_24h: number }>`select events_24h from relay_health_summary`.execute(
    dbs.writer,
  );
  expect(summary.rows).toEqual([{ events_24h: 10 }]);
  await sql`select * from daily_network_stats`.execute(dbs.writer);

  // Again: nothing to do.
  const again = await migrateToLatest(dbs.writer, dbs.kind);
  expect(again.error).toBeUndefined();
  expect(again.results).toEqual([]);

  // Down one by one (the newest first), then everything.
  const one = await migrateDown(dbs.writer);
  expect(one.error).toBeUndefined();
  expect(one.results?.map((r) => [r.migrationName, r.direction, r.status])).toEqual([
    [NAMES[NAMES.length - 1], 'Down', 'Success'],
  ]);
  const all = await migrateDownAll(dbs.writer);
  expect(all.error).toBeUndefined();
  expect(await appliedMigrations(dbs.writer)).toEqual([]);
  // Every table, view and index the migrations made is gone.
  expect(await relationNames(dbs.writer)).toEqual({ tables: [], views: [], indexes: [] });

  // And up again from nothing gives the same schema.
  const reup = await migrateToLatest(dbs.writer, dbs.kind);
  expect(reup.error).toBeUndefined();
  expect(await describeSchema(dbs.writer)).toEqual(schema);
  return schema;
}

describe('migrations', () => {
  it('are named by timestamp and each has up and down', () => {
    expect(NAMES.length).toBeGreaterThan(0);
    for (const name of NAMES) {
      expect(name).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-[a-z0-9-]+$/);
      expect(typeof migrations[name]?.up).toBe('function');
      expect(typeof migrations[name]?.down).toBe('function');
    }
  });

  describe('on PostgreSQL 15 and on PGlite', () => {
    let testDb: TestDatabase;
    let pgSchema: string[] = [];
    let pgliteSchema: string[] = [];

    beforeAll(async () => {
      testDb = await createTestDatabase('shared_migrate');
    });
    afterAll(async () => {
      await testDb?.drop();
    });

    it('go up, down and up again on the real PostgreSQL 15', async () => {
      const dbs = await createDatabases({ databaseUrl: testDb.url, poolMax: 3 });
      try {
        expect(dbs.kind).toBe('postgres');
        const { rows } = await sql<{ v: string }>`select current_setting('server_version_num') as v`.execute(
          dbs.writer,
        );
        expect(Number(rows[0]?.v)).toBeGreaterThanOrEqual(150000);
        pgSchema = await upDownUp(dbs);
      } finally {
        await dbs.close();
      }
    });

    it('go up, down and up again on PGlite', async () => {
      const dbs = await createDatabases({ dataDir: 'memory://' });
      try {
        expect(dbs.kind).toBe('pglite');
        pgliteSchema = await upDownUp(dbs);
      } finally {
        await dbs.close();
      }
    });

    it('give the same tables, columns and types on both', () => {
      expect(pgSchema.length).toBeGreaterThan(50);
      expect(pgliteSchema).toEqual(pgSchema);
    });
  });

  it('run once when two pools migrate a fresh database at the same time', async () => {
    const testDb = await createTestDatabase('shared_migrate_race');
    const a = await createDatabases({ databaseUrl: testDb.url, poolMax: 2, applicationName: 'race-a' });
    const b = await createDatabases({ databaseUrl: testDb.url, poolMax: 2, applicationName: 'race-b' });
    try {
      const results = await Promise.all([
        migrateToLatest(a.writer, 'postgres'),
        migrateToLatest(b.writer, 'postgres'),
      ]);
      for (const r of results) expect(r.error).toBeUndefined();
      // One of them applied everything, the other found nothing left to do.
      const applied = results
        .map((r) => (r.results ?? []).filter((x) => x.status === 'Success').length)
        .sort();
      expect(applied).toEqual([0, NAMES.length]);
      expect(await appliedMigrations(a.writer)).toEqual(NAMES);
      expect((await relationNames(b.writer)).tables).toEqual(expect.arrayContaining(REQUIRED_TABLES));
    } finally {
      await Promise.all([a.close(), b.close()]);
      await testDb.drop();
    }
  });

  it('need only one connection (a pool of one cannot deadlock on the lock)', async () => {
    const testDb = await createTestDatabase('shared_migrate_pool1');
    const dbs = await createDatabases({ databaseUrl: testDb.url, poolMax: 1 });
    try {
      const result = await migrateToLatest(dbs.writer, dbs.kind);
      expect(result.error).toBeUndefined();
      expect(await appliedMigrations(dbs.writer)).toEqual(NAMES);
    } finally {
      await dbs.close();
      await testDb.drop();
    }
  });

  it('keep an embedded database on disk across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nostr-info-pglite-'));
    try {
      const first = await createDatabases({ dataDir: dir });
      expect((await migrateToLatest(first.writer, first.kind)).error).toBeUndefined();
      await sql`insert into relays (url, source) values ('wss://kept.example', 'manual')`.execute(
        first.writer,
      );
      await first.close();

      const second = await createDatabases({ dataDir: dir });
      try {
        const again = await migrateToLatest(second.writer, second.kind);
        expect(again.error).toBeUndefined();
        expect(again.results).toEqual([]);
        const { rows } = await sql<{ url: string }>`select url from relays`.execute(second.writer);
        expect(rows).toEqual([{ url: 'wss://kept.example' }]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
