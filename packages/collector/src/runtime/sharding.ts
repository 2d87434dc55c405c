import type { Cache } from '@nostr-info/shared/cache';
import type { CollectorEnv } from '@nostr-info/shared/config';
import type { Database } from '@nostr-info/shared/db';
import type { Logger } from '@nostr-info/shared/log';
import type { Kysely } from 'kysely';
import type { AddressBook } from '../census/address-book.js';
import type { CollectorOptions } from '../collector-types.js';
import { SeenBudget } from '../dedup/seen-budget.js';
import type { CollectorMetrics } from '../observe/metrics.js';
import type { ConnectionHost } from '../relay/relay-connection.js';
import type { RelayListFile } from '../relay-list.js';
import type { DurableResume } from '../shard/durable-resume.js';
import { Handover } from '../shard/handover.js';
import { Reconciler } from '../shard/reconciler.js';
import type { ReplicaSource } from '../shard/replica-count.js';
import { seedRelays } from '../store/relays-repo.js';
import { connectionFactory } from './connection-factory.js';
import type { ConnectionSet } from './connection-set.js';
import { ReconcileLoop } from './reconcile-loop.js';

/** The settings sharding reads. */
export type ShardingEnv = Pick<
  CollectorEnv,
  | 'RECONCILE_INTERVAL_MS'
  | 'RESUME_MEMORY_MB'
  | 'RESUME_LOOKBACK_SECONDS'
  | 'DEDUP_TTL_SECONDS'
  | 'DISCOVERY_ENABLED'
  | 'DISCOVERY_MAX_RELAYS'
  | 'NIP11_REFRESH_SECONDS'
>;

/** What sharding converges and reports to. */
export interface ShardingParts {
  db: Kysely<Database>;
  cache: Cache;
  ordinal: number;
  replicas: ReplicaSource;
  /** RELAYS_FILE watched for edits, if the relay list comes from one. */
  relayFile: RelayListFile | undefined;
  connections: ConnectionSet;
  /** What every connection reports to. */
  host: ConnectionHost;
  logger: Logger;
  metrics: CollectorMetrics;
  /** Durable resume points for relays whose previous holder left no checkpoint (it crashed). */
  durable?: DurableResume;
  /** The census's relay addresses, resolved with every NIP-11 fetch. */
  addresses?: AddressBook;
}

/** A replica's sharding: the loop that converges its sockets, and the hand-over between replicas. */
export interface Sharding {
  reconciler: Reconciler;
  reconcileLoop: ReconcileLoop;
  handover: Handover;
}

/** Lease and hand-over waits, from how often replicas reconcile. */
export function handoverTiming(reconcileIntervalMs: number): { leaseMs: number; handoverWaitMs: number } {
  return {
    // A replica's hold on its relays outlives a few missed ticks; a crashed replica's lapses.
    leaseMs: Math.max(20_000, 4 * reconcileIntervalMs),
    // The previous owner notices a re-shard on its next tick, then closes gracefully (up to 2 s)
    // and lets its last copies be checked (up to 5 s): two ticks and 10 s.
    handoverWaitMs: Math.min(60_000, 2 * reconcileIntervalMs + 10_000),
  };
}

/** Builds the sharding of one replica (nothing runs until the loop's first round). */
export function createSharding(
  env: ShardingEnv,
  options: Pick<CollectorOptions, 'nip11' | 'connection'>,
  {
    db,
    cache,
    ordinal,
    replicas,
    relayFile,
    connections,
    host,
    logger,
    metrics,
    durable,
    addresses,
  }: ShardingParts,
): Sharding {
  const { leaseMs, handoverWaitMs } = handoverTiming(env.RECONCILE_INTERVAL_MS);
  const handover = new Handover({ cache, logger, leaseMs });
  // The seen sets of all watched relays share RESUME_MEMORY_MB by need, rebalanced every
  // reconcile round (see SeenBudget); a new connection starts with an equal share.
  const seenBudgetBytes = env.RESUME_MEMORY_MB * 1024 * 1024;
  const seenBudget = new SeenBudget(seenBudgetBytes, env.RESUME_LOOKBACK_SECONDS);
  const reconciler = new Reconciler({
    db,
    ordinal,
    replicas,
    connections: connections.byRelayId,
    createConnection: connectionFactory({
      host,
      connections,
      seenBudgetBytes,
      resumeLookbackSeconds: env.RESUME_LOOKBACK_SECONDS,
      dedupTtlSeconds: env.DEDUP_TTL_SECONDS,
      overrides: options.connection,
    }),
    logger,
    metrics,
    nip11: options.nip11,
    nip11RefreshMs: env.NIP11_REFRESH_SECONDS * 1000,
    discovery: { enabled: env.DISCOVERY_ENABLED, maxRelays: env.DISCOVERY_MAX_RELAYS },
    handover,
    handoverWaitMs,
    durable,
    onNip11Fetch: addresses ? (relay) => addresses.refresh(relay) : undefined,
    onResume: (from, _relay, gapSeconds) => {
      metrics.resumes.inc({ from });
      if (from !== 'none') metrics.resumeGap.observe(gapSeconds);
    },
  });
  const reconcileLoop = new ReconcileLoop({
    reconciler,
    relayFile,
    seed: (relays) => seedRelays(db, relays),
    afterRound: () => seenBudget.rebalance(connections.list()),
    metrics,
    logger,
  });
  return { reconciler, reconcileLoop, handover };
}
