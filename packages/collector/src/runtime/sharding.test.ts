import { createMemoryCache } from '@nostr-info/shared/cache';
import type { Database } from '@nostr-info/shared/db';
import { createLogger } from '@nostr-info/shared/log';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../aggregate/aggregator.js';
import { createCollectorMetrics } from '../observe/metrics.js';
import type { ConnectionHost } from '../relay/relay-connection.js';
import { fixedReplicas } from '../shard/replica-count.js';
import { connectionFactory } from './connection-factory.js';
import { ConnectionSet } from './connection-set.js';
import { createSharding, handoverTiming } from './sharding.js';

/** A database that answers every query with no rows: no relay is watched. */
function emptyDatabase(): Kysely<Database> {
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}

const env = {
  RECONCILE_INTERVAL_MS: 5000,
  RESUME_MEMORY_MB: 1,
  RESUME_LOOKBACK_SECONDS: 900,
  DEDUP_TTL_SECONDS: 86_400,
  DISCOVERY_ENABLED: false,
  DISCOVERY_MAX_RELAYS: 0,
  NIP11_REFRESH_SECONDS: 21_600,
};

describe('handoverTiming', () => {
  it('lets a hold outlive a few missed ticks, never less than 20 s', () => {
    expect(handoverTiming(1000).leaseMs).toBe(20_000);
    expect(handoverTiming(10_000).leaseMs).toBe(40_000);
  });

  it('waits two ticks and 10 s for the previous owner, at most a minute', () => {
    expect(handoverTiming(5000).handoverWaitMs).toBe(20_000);
    expect(handoverTiming(60_000).handoverWaitMs).toBe(60_000);
  });
});

describe('createSharding', () => {
  it('builds a loop that converges the connections to the relays this replica owns', async () => {
    const metrics = createCollectorMetrics(new Registry());
    const logger = createLogger({ level: 'silent' });
    const aggregator = new Aggregator();
    const host: ConnectionHost = {
      logger,
      metrics,
      buffer: () => aggregator.buffer,
      onEventFrame: () => true,
      paused: () => false,
    };
    const connections = new ConnectionSet();
    const cache = createMemoryCache();
    const sharding = createSharding(
      env,
      { nip11: false },
      {
        db: emptyDatabase(),
        cache,
        ordinal: 0,
        replicas: fixedReplicas(2),
        relayFile: undefined,
        connections,
        host,
        logger,
        metrics,
      },
    );
    // A relay held from before that is no longer watched by anyone.
    const create = connectionFactory({
      host,
      connections,
      seenBudgetBytes: 1024 * 1024,
      resumeLookbackSeconds: 900,
      dedupTtlSeconds: 86_400,
    });
    connections.byRelayId.set(9, create({ id: 9, url: 'wss://gone.example' }));

    await sharding.reconcileLoop.run();
    await sharding.reconciler.close();
    await cache.close();
    expect(connections.size).toBe(0);
    expect((await metrics.relaysOwned.get()).values[0]?.value).toBe(0);
    expect((await metrics.replicas.get()).values[0]?.value).toBe(2);
    expect((await metrics.dbErrors.get()).values.filter((v) => v.value > 0)).toEqual([]);
  });
});
