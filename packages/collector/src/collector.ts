import type { CollectorEnv } from '@nostr-info/shared/config';
import type { RoleContext } from '@nostr-info/shared/lifecycle';
import { AddressBook } from './census/address-book.js';
import { geoDbPaths } from './census/geo-db.js';
import type { CollectorOptions, CollectorService } from './collector-types.js';
import { startNip66Monitor } from './monitor/start-monitor.js';
import { createCollectorMetrics } from './observe/metrics.js';
import { startMetricsServer } from './observe/metrics-server.js';
import { configuredRelays, RelayListFile } from './relay-list.js';
import { BackPressure, DEFAULT_MAX_IN_FLIGHT } from './runtime/back-pressure.js';
import { collectorStats } from './runtime/collector-stats.js';
import { connectionHost } from './runtime/connection-host.js';
import { ConnectionSet } from './runtime/connection-set.js';
import { startDurability } from './runtime/durability.js';
import { FlushSchedule } from './runtime/flush-schedule.js';
import { Housekeeping } from './runtime/housekeeping.js';
import { startIngest } from './runtime/ingest.js';
import { Intervals } from './runtime/intervals.js';
import { LivePublisher } from './runtime/live-publisher.js';
import { OrderedShutdown } from './runtime/ordered-shutdown.js';
import { replicaSource } from './runtime/replica-source.js';
import { createSharding } from './runtime/sharding.js';
import { collectorStopSteps } from './runtime/stop-sequence.js';
import { resolveOrdinal } from './shard/ordinal.js';
import { Flusher } from './store/flusher.js';
import { seedRelays } from './store/relays-repo.js';
import { RecheckPacer } from './zaps/recheck-pacer.js';
import { startZapVerification } from './zaps/zap-verification.js';

/** How often the NIP-66 monitor looks whether its interval has come round. */
const MONITOR_TICK_MS = 5000;

/**
 * Starts the collector role: watches this replica's share of the relays, verifies, dedups and
 * aggregates events, and flushes counts. `stop()` closes the sockets, waits for pending checks
 * and flushes until everything is written (SIGTERM loses nothing).
 */
export async function startCollector(
  ctx: RoleContext<CollectorEnv>,
  options: CollectorOptions = {},
): Promise<CollectorService> {
  const { env, cache } = ctx;
  const db = ctx.dbs.writer;
  const logger = ctx.logger.child({ module: 'collector' });
  const metrics = createCollectorMetrics(ctx.registry);
  const ordinal = resolveOrdinal(env.POD_NAME, env.COLLECTOR_ORDINAL);
  const replicas = options.replicas ?? (await replicaSource(env, logger));
  // An edited RELAYS_FILE (a ConfigMap changed in place) is seeded again before the next tick;
  // stamped before the first read, so an edit made meanwhile is not missed.
  const relayFile =
    env.RELAYS === undefined && env.RELAYS_FILE ? new RelayListFile(env.RELAYS_FILE) : undefined;
  const relays = configuredRelays(env);
  await seedRelays(db, relays);

  const durability = await startDurability({
    db,
    logger,
    metrics,
    ordinal,
    windowSeconds: env.DURABLE_WINDOW_SECONDS,
  });
  const { owners, instances } = durability;
  const onSettled = () => backPressure.relieve();
  const ingestParts = { cache, metrics, logger, onSettled, token: instances.token, owners };
  const ingest = await startIngest(env, options, ingestParts);
  const { aggregator, verifier, pipeline } = ingest;
  const zaps = startZapVerification({
    allowInsecure: env.LNURL_ALLOW_INSECURE,
    db,
    aggregator,
    verifier,
    metrics,
    logger,
    ...(options.zaps ? { tuning: options.zaps } : {}),
  });
  const connections = new ConnectionSet();
  const flusher = new Flusher({
    db,
    aggregator,
    metrics,
    logger,
    beforeFlush: () => {
      connections.accountHealth();
      // Resume marks may lag (a resume from an older mark re-reads more, and the credited ids
      // recognise it), so they ride with a flush every few seconds and with the last one.
      if (shutdown.begun || durability.markDue()) connections.markResume(aggregator.buffer.durable);
    },
    durable: durability.write,
    // A recipient seen in every flush has its unverified receipts checked again only when its
    // address changes or its provider's failure is forgotten, not every flush.
    zapRechecks: new RecheckPacer(),
    onFenced: () => instances.onFenced(),
    // Every relay this replica has started watching, whatever its socket is doing, about once a
    // minute; none once it stops (its relays read `unknown` when no replica takes them over).
    held: () => (shutdown.begun ? [] : connections.held()),
    heldReportMs: options.heldReportMs,
    // Unverified zap receipts whose recipient has a Lightning address now are checked again; a
    // relay status the flush wrote is reported to NIP-66 readers at once.
    afterFlush: (buffer) => {
      zaps.recheck(buffer.zapVerdicts.rechecks);
      monitor?.flushed(buffer.relayStatus.size);
    },
  });
  const backPressure = new BackPressure({
    sockets: connections,
    backlog: pipeline,
    buffer: flusher,
    maxInFlightCopies: options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
    bufferMaxKeys: env.BUFFER_MAX_KEYS,
    logger,
  });
  const host = connectionHost({ logger, metrics, aggregator, pipeline, backPressure });
  const durable = durability.resume;
  const addresses = new AddressBook({
    db,
    logger,
    paths: geoDbPaths(env),
    ...(options.resolveHost ? { resolve: options.resolveHost } : {}),
    onOutcome: (outcome) => metrics.addressResolutions.inc({ outcome }),
  });
  const shardingParts = {
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
  };
  const sharding = createSharding(env, options, shardingParts);
  const flushes = new FlushSchedule({
    flusher,
    bufferedEvents: () => aggregator.buffer.events,
    waitsForFlush: () => backPressure.waitsForFlush,
    flushIntervalMs: env.FLUSH_INTERVAL_MS,
    flushMaxEvents: env.FLUSH_MAX_EVENTS,
  });
  const housekeeping = new Housekeeping({ metrics, buffer: flusher, backPressure, connections, flushes });
  const live = new LivePublisher({
    counts: pipeline,
    connections,
    cache,
    intervalMs: options.liveIntervalMs,
    ordinal,
    logger,
  });
  const monitor = startNip66Monitor(env, {
    db,
    registry: ctx.registry,
    logger,
    ordinal,
    // Only relays this replica has judged since it took them: a stored status from before is stale.
    heldRelayIds: () => connections.held().flatMap((h) => (h.status === undefined ? [] : [h.relayId])),
    connection: options.connection,
  });
  const timers = new Intervals();
  const stopParts = {
    ...ingest,
    ...sharding,
    zaps,
    addresses,
    timers,
    replicas,
    connections,
    flusher,
    logger,
    durability,
    monitor,
  };
  const shutdown: OrderedShutdown = new OrderedShutdown(() => collectorStopSteps({ ...stopParts, server }));

  durability.start(options.onFenced ?? (() => void shutdown.run()));
  await sharding.reconcileLoop.run();
  timers.every(env.RECONCILE_INTERVAL_MS, () => void sharding.reconcileLoop.run());
  timers.every(Math.min(200, env.FLUSH_INTERVAL_MS), () => housekeeping.tick());
  timers.every(live.intervalMs, () => live.publish());
  if (monitor) timers.every(MONITOR_TICK_MS, () => monitor.tick());
  const server = options.serveMetrics ? await startMetricsServer(ctx.registry, env.METRICS_PORT) : undefined;
  logger.info(
    { ordinal, replicas: replicas.current, configured: relays.length, verifyWorkers: verifier.size },
    'collector started',
  );
  return {
    name: 'collector',
    ownedRelays: () => connections.urls(),
    stats: () => collectorStats({ ...ingest, connections, paused: backPressure.paused, zaps, flusher }),
    stop: () => shutdown.run(),
  };
}
