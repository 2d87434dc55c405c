import type { Databases } from '../db/factory.js';
import { migrateToLatest } from '../db/migrate.js';

/**
 * Migrates a test database to the latest migration and throws when one failed (the Migrator
 * returns its error instead of throwing, so a set-up that forgets to look would test a
 * half-built schema).
 */
export async function migrateOrThrow(dbs: Databases): Promise<void> {
  const { error, results = [] } = await migrateToLatest(dbs.writer, dbs.kind);
  if (error === undefined) return;
  const failed = results.find((r) => r.status === 'Error')?.migrationName ?? 'a migration';
  throw new Error(`${failed} failed on the test database (${dbs.kind})`, { cause: error });
}
