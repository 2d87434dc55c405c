import { createDatabases, type Databases } from '../db/factory.js';
import { migrateOrThrow } from './migrate-or-throw.js';
import { createTestDatabase, type TestDatabase } from './test-services.js';

/** A fresh database migrated to the latest, with a connection to it. */
export interface MigratedTestDatabase extends TestDatabase {
  /** Pools on the new database; `drop()` closes them. */
  dbs: Databases;
}

/** Where `migratedTestDatabase` creates the database, and its pool. */
export interface MigratedTestDatabaseOptions {
  /** The server to create it on (default: the machine's PostgreSQL, `TEST_PG_ADMIN_URL`). */
  adminUrl?: string;
  /** Connections of `dbs` (default 10). */
  poolMax?: number;
}

/**
 * Creates a fresh database named `<prefix>_<random>` on a real server, migrates it to the latest
 * and throws with the migration's error if one failed. `drop()` closes `dbs` and removes the
 * database.
 */
export async function migratedTestDatabase(
  prefix: string,
  { adminUrl, poolMax = 10 }: MigratedTestDatabaseOptions = {},
): Promise<MigratedTestDatabase> {
  const database = await createTestDatabase(prefix, adminUrl);
  const dbs = await createDatabases({ databaseUrl: database.url, poolMax });
  const drop = async () => {
    await dbs.close().catch(() => undefined);
    await database.drop();
  };
  try {
    await migrateOrThrow(dbs);
  } catch (err) {
    await drop().catch(() => undefined);
    throw err;
  }
  return { ...database, dbs, drop };
}
