import {
  type Cache,
  type CollectorEnv,
  createCache,
  createDatabases,
  createLogger,
  createRegistry,
  type Databases,
  loadEnv,
  migrateToLatest,
  type RoleContext,
} from '@nostr-info/shared';
import { createTestDatabase, type TestDatabase, testServices } from '@nostr-info/shared/testing';
import { waitFor } from './test-relay.js';

/** A fresh real database (migrated) and a Redis key prefix of its own, for one test file. */
export interface TestWorld {
  db: TestDatabase;
  prefix: string;
  /** A role context for one collector instance; each gets its own pools, cache and registry. */
  context(env: Record<string, string>): Promise<RoleContext<CollectorEnv> & { close(): Promise<void> }>;
  drop(): Promise<void>;
}

export async function createWorld(name: string): Promise<TestWorld> {
  const db = await createTestDatabase(`collector_${name}`);
  const migrator = await createDatabases({ databaseUrl: db.url });
  const { error } = await migrateToLatest(migrator.writer, 'postgres');
  await migrator.close();
  if (error) throw error;
  const prefix = `test:collector:${name}:${Math.random().toString(36).slice(2)}:`;
  const opened: { dbs: Databases; cache: Cache }[] = [];
  return {
    db,
    prefix,
    async context(extra) {
      const env = loadEnv('collector', {
        DATABASE_URL: db.url,
        REDIS_URL: testServices().TEST_REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        LOG_LEVEL: 'silent',
        FLUSH_INTERVAL_MS: '300',
        RECONCILE_INTERVAL_MS: '300',
        VERIFY_WORKERS: '1',
        DISCOVERY_ENABLED: 'false',
        ...extra,
      });
      const logger = createLogger({ level: env.LOG_LEVEL, pretty: false });
      const dbs = await createDatabases({ databaseUrl: db.url, poolMax: 4 });
      const cache = createCache(env, logger);
      opened.push({ dbs, cache });
      const registry = createRegistry({ service: 'collector', defaultMetrics: false });
      return {
        env,
        logger,
        dbs,
        cache,
        registry,
        close: async () => {
          await cache.close().catch(() => undefined);
          await dbs.close().catch(() => undefined);
        },
      };
    },
    async drop() {
      for (const o of opened) {
        await o.cache.close().catch(() => undefined);
        await o.dbs.close().catch(() => undefined);
      }
      await db.drop();
    },
  };
}

/** Waits until the only relay in the database is `online` (its subscription was sent). */
export function waitForOnline(ctx: RoleContext<CollectorEnv>, timeoutMs = 10_000): Promise<void> {
  return waitFor(
    async () =>
      (await ctx.dbs.reader.selectFrom('relays').select('status').executeTakeFirst())?.status === 'online',
    timeoutMs,
    'the relay to be online',
  );
}
