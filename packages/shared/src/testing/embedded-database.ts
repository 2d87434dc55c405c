import { createDatabases, type Databases } from '../db/factory.js';
import { migrateOrThrow } from './migrate-or-throw.js';

/**
 * A fresh in-memory embedded database (PGlite, the all-in-one default) migrated to the latest;
 * throws with the migration's error if one failed. `close()` discards it.
 */
export async function migratedEmbeddedDatabase(): Promise<Databases> {
  const dbs = await createDatabases({ dataDir: 'memory://' });
  try {
    await migrateOrThrow(dbs);
  } catch (err) {
    await dbs.close().catch(() => undefined);
    throw err;
  }
  return dbs;
}
