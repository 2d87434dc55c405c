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
/**
 * Tries of one migration that met a busy table (lock timeout) or a deadlock: with the pauses
 * between them (1 s, doubling to 15 s) and the lock waits, at most about three minutes.
 */
export const MIGRATION_ATTEMPTS = 12;

export interface MigrateOptions {
  lockTimeoutMs?: number;
  attempts?: number;
  /** Told of each try of a migration given up on a busy table or a deadlock, before the next. */
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
 * tables (they may not exist yet). The Migrator runs on the locked connection itself, so a pool
 * of one connection cannot deadlock. PGlite belongs to a single process and has a single
 * connection, so it needs no outer lock.
 *
 * An upgrade runs its migrations while the previous release's collectors still write: a
 * migration that alters a table they hold would queue every other reader and writer of that
 * table behind it, and one that locks tables in another order than their flushes can deadlock
 * with them. So the migrations run one at a time, each in its own transaction, with every lock
 * waited for at most `lockTimeoutMs`; a migration that meets a busy table or a deadlock is rolled
 * back and tried again after a pause (1 s, doubling to 15 s), up to `attempts` times. Those
 * before it stay applied.
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
    const { rows } = await sql<{ v: string }>`select current_setting('lock_timeout') as v`.execute(conn);
    const previousLockTimeout = rows[0]?.v ?? '0';
    try {
      await sql`select set_config('lock_timeout', ${`${lockTimeoutMs}ms`}, false)`.execute(conn);
      const applied: NonNullable<MigrationResultSet['results']> = [];
      for (let attempt = 1; ; ) {
        const step = await migrator(conn).migrateUp();
        const results = step.results ?? [];
        if (!step.error) {
          if (results.length === 0) return { results: applied };
          applied.push(...results);
          attempt = 1;
          continue;
        }
        if (!isLockConflict(step.error) || attempt >= attempts) {
          return { error: step.error, results: [...applied, ...results] };
        }
        options.onRetry?.(attempt, step.error);
        await new Promise((r) => setTimeout(r, Math.min(15_000, 1000 * 2 ** (attempt - 1))));
        attempt += 1;
      }
    } finally {
      await sql`select set_config('lock_timeout', ${previousLockTimeout}, false)`
        .execute(conn)
        .catch(() => undefined);
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
