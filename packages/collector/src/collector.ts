import type { Server } from 'node:http';
import { type CollectorEnv, LIVE_CHANNEL, type RoleContext } from '@nostr-info/shared';
import { Aggregator } from './aggregate/aggregator.js';
import type { CollectorOptions, CollectorService } from './collector-types.js';
import { NetworkDedup } from './dedup/dedup.js';
import { seenCapacity } from './dedup/relay-seen.js';
import { SeenBudget } from './dedup/seen-budget.js';
import { ValidIds } from './dedup/valid-ids.js';
import { liveMessage } from './observe/live.js';
import { CONNECTION_STATES, type ConnectionState, createCollectorMetrics } from './observe/metrics.js';
import { startMetricsServer } from './observe/metrics-server.js';
import { EventPipeline } from './pipeline.js';
import { type ConnectionHost, RelayConnection } from './relay/relay-connection.js';
import { configuredRelays, RelayListFile } from './relay-list.js';
import { Handover } from './shard/handover.js';
import { resolveOrdinal } from './shard/ordinal.js';
import { Reconciler } from './shard/reconciler.js';
import { fixedReplicas, watchStatefulSet } from './shard/replica-count.js';
import { Flusher } from './store/flusher.js';
import { seedRelays } from './store/relays-repo.js';
import { VerifyPool } from './verify/verify-pool.js';

/**
 * Copies awaiting a signature or dedup answer before reading pauses (it resumes at half). It
 * bounds memory when verification or Redis lag, and is still enough work to keep the verifier
 * busy while the sockets are paused: against 2,000, the peak RSS at 240 relays and 20,400
 * frames/s fell from 148–164 to 145–150 MB with the same unique events/s at saturation.
 */
const DEFAULT_MAX_IN_FLIGHT = 1_000;

/**
 * Starts the collector role: watches this replica's share of the relays, verifies, dedups and
 * aggregates events, and flushes counts. `stop()` closes the sockets, waits for pending checks
 * and flushes until everything is written (SIGTERM loses nothing).
 */
export async function startCollector(
  ctx: RoleContext<CollectorEnv>,
  options: CollectorOptions = {},
): Promise<CollectorService> {
  const { env, logger: rootLogger } = ctx;
  const logger = rootLogger.child({ module: 'collector' });
  const metrics = createCollectorMetrics(ctx.registry);
  const ordinal = resolveOrdinal(env.POD_NAME, env.COLLECTOR_ORDINAL);
  const replicas =
    options.replicas ??
    (env.STATEFULSET_NAME
      ? await watchStatefulSet(
          env.STATEFULSET_NAME,
          env.POD_NAMESPACE ?? 'default',
          env.COLLECTOR_REPLICAS,
          logger.child({ module: 'statefulset-watch' }),
        )
      : fixedReplicas(env.COLLECTOR_REPLICAS));

  // An edited RELAYS_FILE (a ConfigMap changed in place) is seeded again before the next tick;
  // stamped before the first read, so an edit made meanwhile is not missed.
  const relayFile =
    env.RELAYS === undefined && env.RELAYS_FILE ? new RelayListFile(env.RELAYS_FILE) : undefined;
  const relays = configuredRelays(env);
  await seedRelays(ctx.dbs.writer, relays);

  const aggregator = new Aggregator();
  const verifier = new VerifyPool({
    workers: env.VERIFY_WORKERS,
    onBatch: (seconds) => metrics.verifyDuration.observe(seconds),
  });
  await verifier.ready();
  metrics.verifierInfo.set({ backend: verifier.backend }, 1);
  if (verifier.backend !== 'libsecp256k1-native') {
    logger.warn(
      { backend: verifier.backend },
      'native signature verifier not built (bcrypto install script did not run): verifying with WASM, about a fifth of the speed',
    );
  }
  const dedup = new NetworkDedup({
    cache: ctx.cache,
    ttlSeconds: env.DEDUP_TTL_SECONDS,
    onError: (err) => logger.warn({ err }, 'dedup cache unavailable; retrying'),
  });
  const pipeline = new EventPipeline({
    aggregator,
    validIds: new ValidIds(options.validIdsMax ?? 120_000),
    dedup,
    verifier,
    metrics,
    discovery: env.DISCOVERY_ENABLED,
    onSettled: () => relieve(),
  });
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const connections = new Map<number, RelayConnection>();
  let paused = false;
  const pause = () => {
    paused = true;
    for (const conn of connections.values()) conn.pause();
  };
  const host: ConnectionHost = {
    logger,
    metrics,
    buffer: () => aggregator.buffer,
    onEventFrame: (conn, raw, atMs) => {
      pipeline.handle(conn, raw, atMs);
      // Checked per frame, not per tick: when verification falls behind, the backlog grows by
      // thousands of events between two ticks.
      if (pipeline.inFlight >= maxInFlight && !paused) pause();
    },
    paused: () => paused,
  };
  let stopping: Promise<void> | undefined;
  const flusher = new Flusher({
    db: ctx.dbs.writer,
    aggregator,
    metrics,
    logger,
    beforeFlush: () => {
      for (const conn of connections.values()) conn.accountHealth();
    },
    // Every relay this replica has started watching, whatever its socket is doing, about once a
    // minute; none once it stops (its relays read `unknown` when no replica takes them over).
    held: () => (stopping ? [] : [...connections.values()].filter((c) => c.started).map((c) => c.held())),
    heldReportMs: options.heldReportMs,
  });
  // The seen sets of all watched relays share RESUME_MEMORY_MB by need, rebalanced every
  // reconcile tick (see SeenBudget); a new connection starts with an equal share.
  const seenBudgetBytes = env.RESUME_MEMORY_MB * 1024 * 1024;
  const seenBudget = new SeenBudget(seenBudgetBytes, env.RESUME_LOOKBACK_SECONDS);
  const shareSeenBudget = () => seenBudget.rebalance([...connections.values()]);
  // A replica's hold on its relays outlives a few missed ticks; a crashed replica's lapses.
  const handover = new Handover({
    cache: ctx.cache,
    logger,
    leaseMs: Math.max(20_000, 4 * env.RECONCILE_INTERVAL_MS),
  });
  const reconciler = new Reconciler({
    db: ctx.dbs.writer,
    ordinal,
    replicas,
    connections,
    createConnection: (relay) => {
      const conn = new RelayConnection(relay.id, relay.url, host, {
        resumeLookbackSeconds: env.RESUME_LOOKBACK_SECONDS,
        // A replay never reaches back to ids the network-wide dedup may have forgotten.
        resumeMaxAgeSeconds: env.DEDUP_TTL_SECONDS - Math.min(3600, Math.floor(env.DEDUP_TTL_SECONDS / 10)),
        seenCapacity: seenCapacity(connections.size + 1, seenBudgetBytes),
        publicOnly: relay.source === 'discovered',
        ...options.connection,
      });
      // The limits any replica last read from the relay's NIP-11 document (refreshed daily).
      conn.maxMessageLength = relay.max_message_length ?? null;
      conn.maxSubscriptions = relay.max_subscriptions ?? null;
      return conn;
    },
    logger,
    metrics,
    nip11: options.nip11,
    discovery: { enabled: env.DISCOVERY_ENABLED, maxRelays: env.DISCOVERY_MAX_RELAYS },
    handover,
    // The previous owner notices a re-shard on its next tick, then closes gracefully (up to 2 s)
    // and lets its last copies be checked (up to 5 s): two ticks and 10 s.
    handoverWaitMs: Math.min(60_000, 2 * env.RECONCILE_INTERVAL_MS + 10_000),
  });

  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, fn: () => void) => {
    const t = setInterval(fn, ms);
    t.unref();
    timers.push(t);
  };

  let reconciling: Promise<void> | undefined;
  const reconcile = () => {
    reconciling ??= reconcileOnce().finally(() => {
      reconciling = undefined;
    });
    return reconciling;
  };
  const reconcileOnce = async () => {
    try {
      const edited = relayFile?.changed();
      if (edited) {
        const unwatched = await seedRelays(ctx.dbs.writer, edited);
        relayFile?.seeded();
        logger.info({ relays: edited.length, unwatched }, 'relay list file changed: seeded again');
      }
      await reconciler.tick();
    } catch (err) {
      metrics.dbErrors.inc({ service: 'collector', operation: 'reconcile' });
      logger.warn({ err }, 'reconcile failed; retrying next tick');
    } finally {
      shareSeenBudget();
    }
  };

  // Hysteresis: reading resumes once the backlog is half the bound (verification keeps working
  // through the other half meanwhile) and the counter buffer is below 80 % of its bound. Checked
  // as answers settle, not only per tick: a tick is long enough for the workers to run dry.
  const relieve = () => {
    if (!paused || pipeline.inFlight >= maxInFlight / 2) return;
    if (flusher.bufferedKeys >= env.BUFFER_MAX_KEYS * 0.8) return;
    paused = false;
    logger.debug({ inFlight: pipeline.inFlight }, 'backlog drained: resuming relay sockets');
    for (const conn of connections.values()) conn.resume();
  };

  // Buffer bound, size-triggered flush and gauges, checked often and cheaply.
  let lastFlushAt = Date.now();
  const housekeeping = () => {
    const keys = flusher.bufferedKeys;
    metrics.bufferKeys.set(keys);
    const full = keys >= env.BUFFER_MAX_KEYS || pipeline.inFlight >= maxInFlight;
    if (full && !paused) {
      // A full counter buffer means flushes fail or lag (worth a warning); a verification
      // backlog is routine back-pressure under load.
      if (keys >= env.BUFFER_MAX_KEYS) logger.warn({ keys }, 'buffer full: pausing relay sockets');
      pause();
    } else relieve();
    // Counted from the connections themselves: a relay that left this replica leaves the gauge.
    let connected = 0;
    const states = new Map<ConnectionState, number>(CONNECTION_STATES.map((st) => [st, 0]));
    for (const conn of connections.values()) {
      if (conn.connected) connected += 1;
      states.set(conn.state, (states.get(conn.state) ?? 0) + 1);
    }
    metrics.relaysConnected.set(connected);
    for (const [state, count] of states) metrics.connections.set({ state }, count);
    const due =
      aggregator.buffer.events >= env.FLUSH_MAX_EVENTS ||
      Date.now() - lastFlushAt >= env.FLUSH_INTERVAL_MS ||
      (paused && !flusher.busy);
    if (due && !flusher.busy) {
      lastFlushAt = Date.now();
      void flusher.flush();
    } else if (
      flusher.heldDue &&
      !flusher.busy &&
      lastFlushAt + env.FLUSH_INTERVAL_MS - Date.now() > flusher.heldWaitMs
    ) {
      // Written on its own only when no counter flush comes soon to carry it.
      void flusher.reportHeld();
    }
  };

  const liveIntervalMs = options.liveIntervalMs ?? 5000;
  const publishLive = () => {
    let connected = 0;
    for (const conn of connections.values()) if (conn.connected) connected += 1;
    const message = liveMessage(
      pipeline.uniqueByKind,
      liveIntervalMs / 1000,
      connected,
      connections.size,
      ordinal,
    );
    pipeline.uniqueByKind = new Map();
    ctx.cache.publish(LIVE_CHANNEL, JSON.stringify(message)).catch((err: unknown) => {
      logger.debug({ err }, 'live message not published');
    });
  };

  await reconcile();
  every(env.RECONCILE_INTERVAL_MS, () => void reconcile());
  every(Math.min(200, env.FLUSH_INTERVAL_MS), housekeeping);
  every(liveIntervalMs, publishLive);

  let server: Server | undefined;
  if (options.serveMetrics) server = await startMetricsServer(ctx.registry, env.METRICS_PORT);

  logger.info(
    { ordinal, replicas: replicas.current, configured: relays.length, verifyWorkers: verifier.size },
    'collector started',
  );

  const stop = async () => {
    for (const t of timers) clearInterval(t);
    replicas.stop();
    // No tick may open or close a socket from here on: relays still waiting for a checkpoint are
    // given up unopened, relays being released finish their hand-off, and a tick under way ends
    // at its next step (given 10 s: one stuck on an unresponsive database must not hold the stop).
    const closing = reconciler.close();
    await Promise.race([reconciling, new Promise((r) => setTimeout(r, 10_000).unref())]);
    await closing;
    await Promise.all([...connections.values()].map((conn) => conn.stop().then(() => conn.settled())));
    // Whoever watches these relays next (this replica after a restart, or another) resumes here.
    await Promise.all([...connections.values()].map((conn) => handover.save(conn)));
    // Wait for checks already under way (verification, dedup answers) so their counts land.
    const settled = async (ms: number) => {
      const deadline = Date.now() + ms;
      while (pipeline.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    };
    await settled(15_000);
    await verifier.close();
    // The last checks' claims get a moment; any the cache has not answered by then (it is away)
    // are settled as unknown, so their relays' copies are still written and the process can exit.
    await settled(2000);
    await dedup.close();
    await new Promise((r) => setImmediate(r));
    if (pipeline.unresolved > 0) {
      logger.error(
        { events: pipeline.unresolved },
        'dedup cache unavailable at shutdown: events counted for their relays but not network-wide',
      );
    }
    // Flush until written: a database that is briefly down must not lose the last counts.
    const flushDeadline = Date.now() + 60_000;
    for (let attempt = 0; ; attempt++) {
      if (await flusher.flush()) {
        if (aggregator.buffer.empty) break;
        continue;
      }
      if (Date.now() > flushDeadline) {
        logger.error({ keys: flusher.bufferedKeys }, 'final flush failed; counts lost');
        break;
      }
      await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
    }
    if (server) await new Promise<void>((resolve) => server?.close(() => resolve()));
    logger.info('collector stopped');
  };

  return {
    name: 'collector',
    ownedRelays: () => [...connections.values()].map((c) => c.url),
    stats: () => ({
      framesHandled: pipeline.framesHandled,
      verified: verifier.verified,
      unique: pipeline.uniqueCounted,
      verifyWorkers: verifier.size,
      bufferKeys: aggregator.buffer.keys,
      inFlight: pipeline.inFlight,
      verifyBatches: verifier.inFlight,
      batchesSent: verifier.batches,
      dedupWaiting: dedup.waiting,
      paused,
      seenBytes: [...connections.values()].reduce((sum, conn) => sum + conn.seen.bytes, 0),
    }),
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}
