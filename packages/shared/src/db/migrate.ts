import { type Kysely, type MigrationResultSet, Migrator, NO_MIGRATIONS, sql } from 'kysely';
import type { DatabaseKind } from './factory.js';
import { migrationProvider } from './migrations.js';

/** An arbitrary constant naming this project's session-level migration lock. */
const MIGRATION_LOCK_KEY = 7_466_736_947_111_001n;

function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: migrationProvider });
}

/**
 * Runs every pending migration. On PostgreSQL a session advisory lock is held around the Kysely
 * Migrator, so processes starting together queue up instead of racing to create its bookkeeping
 * tables (the Migrator's own lock lives in a table that may not exist yet). The Migrator runs on
 * the locked connection itself, so a pool of one connection cannot deadlock. PGlite belongs to a
 * single process and has a single connection, so it needs no outer lock.
 */
export async function migrateToLatest(db: Kysely<any>, kind: DatabaseKind): Promise<MigrationResultSet> {
  if (kind === 'pglite') return migrator(db).migrateToLatest();
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      return await migrator(conn).migrateToLatest();
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}

/** Reverts every migration (tests and `nostr-info migrate --down-all`). */
export async function migrateDownAll(db: Kysely<any>): Promise<MigrationResultSet> {
  return migrator(db).migrateTo(NO_MIGRATIONS);
}

/** Reverts the newest migration. */
export async function migrateDown(db: Kysely<any>): Promise<MigrationResultSet> {
  return migrator(db).migrateDown();
}

/** One migration and when it was applied (undefined: pending). */
export interface MigrationState {
  name: string;
  executedAt: Date | undefined;
}

/** Every known migration with its state, oldest first (`nostr-info migrate` output, tests). */
export async function migrationStates(db: Kysely<any>): Promise<MigrationState[]> {
  const infos = await migrator(db).getMigrations();
  return infos.map((m) => ({ name: m.name, executedAt: m.executedAt }));
}
