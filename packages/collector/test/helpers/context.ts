import {
  type MigratedTestDatabase,
  migratedTestDatabase,
  type TestRoleContext,
  testRoleContext,
  testServices,
} from '@nostr-info/shared/testing';

/** The collector's role context in tests. */
export type CollectorContext = TestRoleContext<'collector'>;

/** A fresh real database (migrated) and a Redis key prefix of its own, for one test file. */
export interface TestWorld {
  db: MigratedTestDatabase;
  prefix: string;
  /** A role context for one collector instance; each gets its own pools, cache and registry. */
  context(env: Record<string, string>): Promise<CollectorContext>;
  drop(): Promise<void>;
}

/** `adminUrl`: the server to create the database on (default: the machine's PostgreSQL). */
export async function createWorld(
  name: string,
  { adminUrl }: { adminUrl?: string } = {},
): Promise<TestWorld> {
  const db = await migratedTestDatabase(`collector_${name}`, { adminUrl });
  const prefix = `test:collector:${name}:${Math.random().toString(36).slice(2)}:`;
  const opened: CollectorContext[] = [];
  return {
    db,
    prefix,
    async context(extra) {
      const ctx = await testRoleContext('collector', {
        env: {
          DATABASE_URL: db.url,
          REDIS_URL: testServices().TEST_REDIS_URL,
          REDIS_KEY_PREFIX: prefix,
          FLUSH_INTERVAL_MS: '300',
          RECONCILE_INTERVAL_MS: '300',
          VERIFY_WORKERS: '1',
          DISCOVERY_ENABLED: 'false',
          // Zap providers in tests are LNURL servers on loopback (relay-sim's), over plain http.
          LNURL_ALLOW_INSECURE: 'true',
          ...extra,
        },
        poolMax: 4,
      });
      opened.push(ctx);
      return ctx;
    },
    async drop() {
      for (const ctx of opened) await ctx.close();
      await db.drop();
    },
  };
}
