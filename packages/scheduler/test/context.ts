import { randomBytes } from 'node:crypto';
import type { Cache } from '@nostr-info/shared/cache';
import type { Databases } from '@nostr-info/shared/db';
import {
  type MigratedTestDatabase,
  migratedTestDatabase,
  type TestRoleContext,
  testRoleContext,
  testServices,
} from '@nostr-info/shared/testing';

export type Backend = 'postgres' | 'pglite';

/** A scheduler context on a fresh database (real PostgreSQL or in-memory PGlite) and real Redis. */
export interface TestContext {
  ctx: TestRoleContext<'scheduler'>;
  dbs: Databases;
  cache: Cache;
  /** Redis key prefix of this context. */
  prefix: string;
  close(): Promise<void>;
}

export interface TestContextOptions {
  env?: Record<string, string>;
  /** Reuse a database (and its URL) instead of creating one. */
  database?: MigratedTestDatabase;
  /** Overrides the read URL (replica, or a dead port). */
  readUrl?: string;
  prefix?: string;
}

export async function createTestContext(
  backend: Backend,
  options: TestContextOptions = {},
): Promise<TestContext> {
  const prefix = options.prefix ?? `test:scheduler:${randomBytes(4).toString('hex')}:`;
  const database =
    backend === 'postgres' ? (options.database ?? (await migratedTestDatabase('scheduler'))) : undefined;
  const ctx = await testRoleContext('scheduler', {
    env: {
      ...(database ? { DATABASE_URL: database.url } : {}),
      ...(options.readUrl ? { DATABASE_READ_URL: options.readUrl } : {}),
      REDIS_URL: testServices().TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      ...options.env,
    },
  });
  return {
    ctx,
    dbs: ctx.dbs,
    cache: ctx.cache,
    prefix,
    close: async () => {
      await ctx.close();
      if (database && !options.database) await database.drop();
    },
  };
}
