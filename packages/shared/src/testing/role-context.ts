import { randomBytes } from 'node:crypto';
import { createCache } from '../cache/factory.js';
import { type BaseEnv, type CacheEnv, type EnvFor, loadEnv, type Role } from '../config/env.js';
import { createDatabases } from '../db/factory.js';
import type { RoleContext } from '../lifecycle/service.js';
import { createLogger } from '../log/logger.js';
import { createRegistry } from '../metrics/registry.js';
import { migratedEmbeddedDatabase } from './embedded-database.js';

/** The roles that run with a cache, i.e. get a role context. */
export type ServiceRole = Exclude<Role, 'migrate'>;

/** A role context a test built; `close()` closes its cache and databases. */
export interface TestRoleContext<R extends ServiceRole> extends RoleContext<EnvFor<R>> {
  close(): Promise<void>;
}

/** What `testRoleContext` builds the context from. */
export interface TestRoleContextOptions {
  /**
   * The role's settings, validated as the role validates them. `LOG_LEVEL` defaults to `silent`
   * and `REDIS_KEY_PREFIX` to one of its own; without `REDIS_URL` or `REDIS_CLUSTER_NODES` the
   * cache is in memory.
   */
  env?: Record<string, string | undefined>;
  /** Connections of each database pool (default: the env's `DATABASE_POOL_MAX`). */
  poolMax?: number;
}

/**
 * The context the CLI hands a role, built for a test: validated env, logger, databases, cache and
 * a registry without process metrics. The database at `DATABASE_URL` (and `DATABASE_READ_URL`) is
 * used as it is (make one with `migratedTestDatabase`); without `DATABASE_URL`, the context gets a
 * fresh in-memory PGlite migrated to the latest.
 */
export async function testRoleContext<R extends ServiceRole>(
  role: R,
  { env: given = {}, poolMax }: TestRoleContextOptions = {},
): Promise<TestRoleContext<R>> {
  const env = loadEnv(role, {
    LOG_LEVEL: 'silent',
    REDIS_KEY_PREFIX: `test:${role}:${randomBytes(4).toString('hex')}:`,
    ...given,
  });
  const settings: BaseEnv & CacheEnv = env;
  const logger = createLogger({ level: settings.LOG_LEVEL });
  const dbs = settings.DATABASE_URL
    ? await createDatabases({
        databaseUrl: settings.DATABASE_URL,
        databaseReadUrl: settings.DATABASE_READ_URL,
        poolMax: poolMax ?? settings.DATABASE_POOL_MAX,
        logger,
      })
    : await migratedEmbeddedDatabase();
  const cache = createCache(settings, logger);
  const registry = createRegistry({ service: role, defaultMetrics: false });
  return {
    env,
    logger,
    dbs,
    cache,
    registry,
    close: async () => {
      await Promise.allSettled([cache.close(), dbs.close()]);
    },
  };
}
