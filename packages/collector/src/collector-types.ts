import type { Service } from '@nostr-info/shared/lifecycle';
import type { HostResolver } from './census/host-resolver.js';
import type { ConnectionOptions } from './relay/connection-types.js';
import type { ReplicaSource } from './shard/replica-count.js';
import type { ZapTuning } from './zaps/zap-verification.js';

/** Options of `startCollector` beyond the environment (the CLI, tests and benchmarks set them). */
export interface CollectorOptions {
  /** Serve `/metrics` and `/health` on METRICS_PORT (the standalone `collector` role). */
  serveMetrics?: boolean;
  /**
   * Called once when this instance is fenced (another took its relays over, taking it for dead).
   * Default: this collector stops (its buffer is already dropped). A process that runs only to
   * collect passes a SIGTERM to itself here, so its supervisor starts a fresh instance.
   */
  onFenced?: () => void;
  /** Replica count source; default: the StatefulSet watch or COLLECTOR_REPLICAS. */
  replicas?: ReplicaSource;
  /** Connection tunables (tests shorten pings and backoff). */
  connection?: ConnectionOptions;
  /** Fetch NIP-11 documents (default true). */
  nip11?: boolean;
  /** How often the live feed message is published (default 5 s). */
  liveIntervalMs?: number;
  /** How often the relays this replica holds are reported held (default RELAY_HELD_REPORT_MS). */
  heldReportMs?: number;
  /** Ids remembered as verified (the local dedup LRU in front of the shared cache). */
  validIdsMax?: number;
  /** Copies awaiting a signature or dedup answer before reading pauses (default `DEFAULT_MAX_IN_FLIGHT`). */
  maxInFlight?: number;
  /** Resolves relay hosts for the network census (default: the system resolver; tests map simulated hosts). */
  resolveHost?: HostResolver;
  /** Zap verification tunables (tests shorten the profile wait, resolve LNURL hosts their own way). */
  zaps?: ZapTuning;
}

/** Running totals of one collector, for benchmarks and diagnostics. */
export interface CollectorStats {
  framesHandled: number;
  verified: number;
  /** Network-unique events counted by this replica. */
  unique: number;
  verifyWorkers: number;
  bufferKeys: number;
  inFlight: number;
  /** Verification batches sent to workers and not yet answered. */
  verifyBatches: number;
  /** Verification batches sent since start. */
  batchesSent: number;
  /** Ids waiting for the network dedup's answer. */
  dedupWaiting: number;
  /** Reading is paused for back-pressure. */
  paused: boolean;
  /** Bytes held by the per-relay seen sets (bounded by `RESUME_MEMORY_MB`). */
  seenBytes: number;
  /** Zap receipts whose NIP-57 checks are under way (their verdicts land in a later flush). */
  zapsPending?: number;
  /** A flush transaction is being written. */
  flushing?: boolean;
  /** Counter flushes that succeeded so far, and the time they took in all (ms). */
  flushes?: number;
  flushMs?: number;
}

/** The running collector; `ownedRelays` lists the relays this replica currently watches. */
export interface CollectorService extends Service {
  ownedRelays(): string[];
  stats(): CollectorStats;
}
