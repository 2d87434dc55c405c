import { randomBytes } from 'node:crypto';
import {
  type Cache,
  createCache,
  createDatabases,
  createLogger,
  type Databases,
  loadEnv,
  migrateToLatest,
  type RoleContext,
  type SchedulerEnv,
} from '@nostr-info/shared';
import { createTestDatabase, type TestDatabase, testServices } from '@nostr-info/shared/testing';
import { Registry } from 'prom-client';

export type Backend = 'postgres' | 'pglite';

/** A scheduler context on a fresh database (real PostgreSQL or in-memory PGlite) and real Redis. */
export interface TestContext {
  ctx: RoleContext<SchedulerEnv>;
  dbs: Databases;
  cache: Cache;
  /** Redis key prefix of this context. */
  prefix: string;
  close(): Promise<void>;
}

export interface TestContextOptions {
  env?: Record<string, string>;
  /** Reuse a database (and its URL) instead of creating one. */
  database?: TestDatabase;
  /** Overrides the read URL (replica, or a dead port). */
  readUrl?: string;
  prefix?: string;
}

export async function createTestContext(
  backend: Backend,
  options: TestContextOptions = {},
): Promise<TestContext> {
  const services = testServices();
  const prefix = options.prefix ?? `test:scheduler:${randomBytes(4).toString('hex')}:`;
  const database =
    backend === 'postgres' ? (options.database ?? (await createTestDatabase('scheduler'))) : undefined;
  const env = loadEnv('scheduler', {
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...(options.readUrl ? { DATABASE_READ_URL: options.readUrl } : {}),
    REDIS_URL: services.TEST_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const dbs = await createDatabases({
    databaseUrl: env.DATABASE_URL,
    databaseReadUrl: env.DATABASE_READ_URL,
    dataDir: 'memory://',
    poolMax: env.DATABASE_POOL_MAX,
  });
  await migrateToLatest(dbs.writer, dbs.kind);
  const cache = createCache(env);
  const ctx: RoleContext<SchedulerEnv> = {
    env,
    logger: createLogger({ level: 'silent' }),
    dbs,
    cache,
    registry: new Registry(),
  };
  return {
    ctx,
    dbs,
    cache,
    prefix,
    close: async () => {
      await cache.close();
      await dbs.close();
      if (database && !options.database) await database.drop();
    },
  };
}
