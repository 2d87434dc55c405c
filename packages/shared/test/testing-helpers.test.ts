import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createDatabases } from '../src/db/factory.js';
import { migrations } from '../src/db/migrations.js';
import { migratedEmbeddedDatabase } from '../src/testing/embedded-database.js';
import { migrateOrThrow } from '../src/testing/migrate-or-throw.js';
import { migratedTestDatabase } from '../src/testing/migrated-database.js';
import { testRoleContext } from '../src/testing/role-context.js';
import { createTestDatabase, testServices } from '../src/testing/test-services.js';
import { appliedMigrations } from './schema-snapshot.js';

const NAMES = Object.keys(migrations).sort();

async function databaseExists(name: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: testServices().TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    return (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  } finally {
    await admin.end();
  }
}

describe('the shared test set-up', () => {
  it('migratedTestDatabase: a fresh database at the latest migration, removed by drop()', async () => {
    const db = await migratedTestDatabase('shared_testing');
    try {
      expect(db.dbs.kind).toBe('postgres');
      expect(await appliedMigrations(db.dbs.writer)).toEqual(NAMES);
    } finally {
      await db.drop();
    }
    expect(await databaseExists(db.name)).toBe(false);
  });

  it('migrateOrThrow: throws with the failed migration and its error', async () => {
    const db = await createTestDatabase('shared_testing_broken');
    const dbs = await createDatabases({ databaseUrl: db.url, poolMax: 1 });
    try {
      // A table in the way of the first migration.
      await sql`create table relays (id int)`.execute(dbs.writer);
      const failure = await migrateOrThrow(dbs).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toContain(NAMES[0]);
      expect((failure as Error).cause).toMatchObject({ code: '42P07' });
    } finally {
      await dbs.close();
      await db.drop();
    }
  });

  it('migratedEmbeddedDatabase: an in-memory PGlite at the latest migration', async () => {
    const dbs = await migratedEmbeddedDatabase();
    try {
      expect(dbs.kind).toBe('pglite');
      expect(await appliedMigrations(dbs.writer)).toEqual(NAMES);
    } finally {
      await dbs.close();
    }
  });

  it('testRoleContext: the role env with test defaults, a migrated embedded database without DATABASE_URL', async () => {
    const ctx = await testRoleContext('scheduler');
    try {
      expect(ctx.env.LOG_LEVEL).toBe('silent');
      expect(ctx.env.REDIS_KEY_PREFIX).toMatch(/^test:scheduler:[0-9a-f]{8}:$/);
      expect(ctx.logger.level).toBe('silent');
      expect(ctx.cache.kind).toBe('memory');
      expect(ctx.dbs.kind).toBe('pglite');
      expect(await appliedMigrations(ctx.dbs.writer)).toEqual(NAMES);
      expect(await ctx.registry.getSingleMetricAsString('nostr_info_build_info')).toContain(
        'service="scheduler"',
      );
    } finally {
      await ctx.close();
    }
  });

  it('testRoleContext: the database and Redis the env names', async () => {
    const db = await migratedTestDatabase('shared_testing_ctx');
    const ctx = await testRoleContext('api', {
      env: { DATABASE_URL: db.url, REDIS_URL: testServices().TEST_REDIS_URL, RATE_LIMIT_MAX: '7' },
    });
    try {
      expect(ctx.env.RATE_LIMIT_MAX).toBe(7);
      expect(ctx.dbs.kind).toBe('postgres');
      expect(ctx.dbs.readerIsReplica).toBe(false);
      expect(ctx.cache.kind).toBe('redis');
      expect(await ctx.cache.ping()).toBe(true);
      const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(ctx.dbs.reader);
      expect(rows[0]?.name).toBe(db.name);
    } finally {
      await ctx.close();
      await db.drop();
    }
  });
});
