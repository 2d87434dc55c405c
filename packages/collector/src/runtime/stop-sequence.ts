import type { Logger } from '@nostr-info/shared/log';
import type { Aggregator } from '../aggregate/aggregator.js';
import type { RelayConnection } from '../relay/relay-connection.js';
import { FinalFlush, type FinalFlushOptions } from './final-flush.js';
import type { ShutdownStep } from './ordered-shutdown.js';
import { waitUntil } from './wait-until.js';

/** A connection as the stop sees it: closed, settled, then its resume point handed on. */
export interface StoppingConnection extends Pick<RelayConnection, 'url' | 'holder' | 'checkpoint'> {
  /** Closes the socket gracefully; resolves once closed. */
  stop(): Promise<void>;
  /** Resolves once no copy from the relay is still being verified (or after a timeout). */
  settled(): Promise<void>;
}

/** The parts of a running collector the stop winds down, in the order it does. */
export interface CollectorStopParts {
  /** The periodic timers and the replica-count watch: nothing new starts once they stop. */
  timers: { stop(): void };
  replicas: { stop(): void };
  /** Sharding: no tick opens or closes a socket once it is closed; resolves when hand-offs end. */
  reconciler: { close(): Promise<void> };
  reconcileLoop: { readonly current: Promise<void> | undefined };
  connections: { list(): StoppingConnection[] };
  handover: { save(conn: StoppingConnection): Promise<void> };
  /** Checks under way and claims the cache never answered. */
  pipeline: { readonly inFlight: number; readonly unresolved: number };
  verifier: { close(): Promise<void> };
  /** The census's address resolutions under way (their writes land before the pools close). */
  addresses?: { settled(): Promise<void> };
  /** Zap receipts still being checked (their verdicts land in the final flush). */
  zaps?: { drain(): Promise<void>; close(): void };
  dedup: { close(): Promise<void> };
  flusher: FinalFlushOptions['flusher'];
  /** Its live buffer tells whether the last flush left anything behind. */
  aggregator: { readonly buffer: Pick<Aggregator['buffer'], 'empty'> };
  /** The heartbeat, stopped once the final flush is written (a stop in progress is alive). */
  durability?: { stop(): void };
  /** The NIP-66 monitor: its round under way ends without retries, and no other starts. */
  monitor?: { stop(): Promise<void> } | undefined;
  /** The `/metrics` server, closed last so the stop can be watched. */
  server?: { close(callback: () => void): unknown };
  logger: Pick<Logger, 'error' | 'info'>;
}

/** How long each wait of the stop may take. */
export interface CollectorStopTiming {
  /** A reconcile round under way (one stuck on an unresponsive database must not hold the stop). */
  reconcileRoundMs?: number;
  /** Signature checks and dedup claims under way when the sockets have closed. */
  pendingChecksMs?: number;
  /** The last dedup claims once the verifier has stopped. */
  lastClaimsMs?: number;
  /** Zap receipts still being checked (an LNURL fetch has its own deadline). */
  zapsMs?: number;
  /** The NIP-66 monitor's round under way (its last batch of sends, without retries). */
  monitorRoundMs?: number;
  /** Address resolutions under way (a name server that does not answer is not waited out). */
  addressesMs?: number;
  /** How often the count of checks under way is looked at. */
  pollIntervalMs?: number;
  /** The final flush's deadline and backoff (see `FinalFlush`). */
  finalFlush?: Pick<FinalFlushOptions, 'deadlineMs' | 'backoffInitialMs' | 'backoffMaxMs'>;
}

/**
 * The collector's stop, in order: stop sharding, close the sockets (reading what is on the wire),
 * hand the relays' resume points on, let the checks under way land, then flush until written.
 * SIGTERM loses nothing a briefly unavailable database or cache can be waited out for.
 */
export function collectorStopSteps(
  parts: CollectorStopParts,
  {
    reconcileRoundMs = 10_000,
    pendingChecksMs = 15_000,
    lastClaimsMs = 2000,
    zapsMs = 15_000,
    addressesMs = 5000,
    pollIntervalMs = 20,
    monitorRoundMs = 20_000,
    finalFlush: finalFlushTiming,
  }: CollectorStopTiming = {},
): ShutdownStep[] {
  const { reconcileLoop, connections, handover, pipeline, flusher, aggregator, logger, server } = parts;
  const bufferEmpty = () => aggregator.buffer.empty;
  const finalFlush = new FinalFlush({ flusher, bufferEmpty, logger, ...finalFlushTiming });
  const checksLanded = (timeoutMs: number) =>
    waitUntil(() => pipeline.inFlight <= 0, { timeoutMs, intervalMs: pollIntervalMs });
  // Started by the first step, awaited once the round under way has ended (or had its deadline).
  let handoffs: Promise<void> = Promise.resolve();
  return [
    {
      // No tick may open or close a socket from here on: relays still waiting for a checkpoint
      // are given up unopened, relays being released finish their hand-off, and a tick under way
      // ends at its next step.
      run: () => {
        parts.timers.stop();
        parts.replicas.stop();
        handoffs = parts.reconciler.close();
      },
    },
    { run: () => reconcileLoop.current, deadlineMs: reconcileRoundMs },
    { run: () => parts.monitor?.stop(), deadlineMs: monitorRoundMs },
    { run: () => handoffs },
    { run: () => Promise.all(connections.list().map((conn) => conn.stop().then(() => conn.settled()))) },
    // Whoever watches these relays next (this replica after a restart, or another) resumes here.
    { run: () => Promise.all(connections.list().map((conn) => handover.save(conn))) },
    // No NIP-11 fetch starts after the sharding stopped; the resolutions it started get written.
    { run: () => parts.addresses?.settled(), deadlineMs: addressesMs },
    // Checks already under way (verification, dedup answers), so their counts land.
    { run: () => checksLanded(pendingChecksMs) },
    { run: () => parts.verifier.close() },
    // The last checks' claims get a moment; any the cache has not answered by then (it is away)
    // are settled as unknown, so their relays' copies are still written and the process can exit.
    { run: () => checksLanded(lastClaimsMs) },
    { run: () => parts.dedup.close() },
    {
      run: async () => {
        // The claims the close settled count themselves unresolved in callbacks that run first.
        await new Promise((resolve) => setImmediate(resolve));
        if (pipeline.unresolved > 0) {
          logger.error(
            { events: pipeline.unresolved },
            'dedup cache unavailable at shutdown: events counted for their relays but not network-wide',
          );
        }
      },
    },
    // Every receipt counted network-wide above is checked now, so its verdict is flushed below.
    // What was counted goes first (one attempt; the final flush retries): the profiles this
    // replica saw reach the database while the receipts of replicas stopping beside it wait for them.
    { run: () => parts.zaps && flusher.flush(), deadlineMs: zapsMs },
    { run: () => parts.zaps?.drain(), deadlineMs: zapsMs },
    { run: () => parts.zaps?.close() },
    { run: () => finalFlush.run() },
    { run: () => parts.durability?.stop() },
    { run: () => server && new Promise<void>((resolve) => server.close(() => resolve())) },
    { run: () => logger.info('collector stopped') },
  ];
}
