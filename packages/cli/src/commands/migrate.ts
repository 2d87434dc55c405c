import { migrateDown } from '@nostr-info/shared/db';
import { ExitError, envOrExit, loggerFor, migrate, openDatabases } from '../runtime.js';

/** `nostr-info migrate [--down]` */
export async function migrateCommand({ down = false }: { down?: boolean } = {}): Promise<void> {
  const env = envOrExit('migrate');
  const logger = loggerFor(env, 'migrate');
  const dbs = await openDatabases(env, logger, 'migrate');
  try {
    if (down) {
      const { error, results = [] } = await migrateDown(dbs.writer);
      for (const r of results)
        logger.info({ migration: r.migrationName, status: r.status }, 'migration reverted');
      if (error) throw new ExitError('migration down failed', 1, { cause: error });
    } else {
      await migrate(dbs, logger);
      logger.info('database is up to date');
    }
  } finally {
    await dbs.close();
  }
}
