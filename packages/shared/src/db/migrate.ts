import { type Kysely, type MigrationResultSet, Migrator, NO_MIGRATIONS, sql } from 'kysely';
import type { DatabaseKind } from './factory.js';
import { migrationProvider } from './migrations.js';

/** An arbitrary constant naming this project's session-level migration lock. */
const MIGRATION_LOCK_KEY = 7_466_736_947_111_001n;

function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: migrationProvider });
}

/** How long a migration waits for a table lock before it gives up and is tried again. */
export const MIGRATION_LOCK_TIMEOUT_MS = 5000;
/** Tries of a run that met a busy table (lock timeout) or a deadlock, about four minutes in all. */
export const MIGRATION_ATTEMPTS = 20;

export interface MigrateOptions {
  lockTimeoutMs?: number;
  attempts?: number;
  /** Told of each run given up on a busy table or a deadlock, before the next try. */
  onRetry?: (attempt: number, error: unknown) => void;
}

/** PostgreSQL's lock_not_available (lock_timeout) and deadlock_detected. */
const LOCK_CONFLICT_CODES = new Set(['55P03', '40P01']);

function isLockConflict(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    LOCK_CONFLICT_CODES.has(String((err as { code?: unknown }).code))
  );
}

/**
 * Runs every pending migration. On PostgreSQL a session advisory lock is held around the Kysely
 * Migrator, so processes starting together queue up instead of racing to create its bookkeeping
 * tables (the Migrator's own lock lives in a table that may not exist yet). The Migrator runs on
 * the locked connection itself, so a pool of one connection cannot deadlock. PGlite belongs to a
 * single process and has a single connection, so it needs no outer lock.
 *
 * The pending migrations run in one transaction, which an upgrade runs while the previous
 * release's collectors still write: a migration that alters a table they hold would queue every
 * other reader and writer of that table behind it, and one that locks tables in another order
 * than their flushes can deadlock with them. So each lock is waited for at most
 * `lockTimeoutMs`; a run that meets a busy table or a deadlock is rolled back whole and tried
 * again after a pause (1 s, doubling to 15 s), up to `attempts` times.
 */
export async function migrateToLatest(
  db: Kysely<any>,
  kind: DatabaseKind,
  options: MigrateOptions = {},
): Promise<MigrationResultSet> {
  if (kind === 'pglite') return migrator(db).migrateToLatest();
  const lockTimeoutMs = options.lockTimeoutMs ?? MIGRATION_LOCK_TIMEOUT_MS;
  const attempts = options.attempts ?? MIGRATION_ATTEMPTS;
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      await sql`select set_config('lock_timeout', ${`${lockTimeoutMs}ms`}, false)`.execute(conn);
      for (let attempt = 1; ; attempt++) {
        const result = await migrator(conn).migrateToLatest();
        if (!result.error || !isLockConflict(result.error) || attempt >= attempts) return result;
        options.onRetry?.(attempt, result.error);
        await new Promise((r) => setTimeout(r, Math.min(15_000, 1000 * 2 ** (attempt - 1))));
      }
    } finally {
      await sql`select set_config('lock_timeout', '0', false)`.execute(conn).catch(() => undefined);
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
