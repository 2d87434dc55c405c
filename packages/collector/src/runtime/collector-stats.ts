import type { Aggregator } from '../aggregate/aggregator.js';
import type { CollectorStats } from '../collector-types.js';
import type { NetworkDedup } from '../dedup/dedup.js';
import type { EventPipeline } from '../pipeline.js';
import type { VerifyPool } from '../verify/verify-pool.js';
import type { ConnectionSet } from './connection-set.js';

/** The parts whose running totals make up `CollectorStats`. */
export interface StatsParts {
  pipeline: Pick<EventPipeline, 'framesHandled' | 'uniqueCounted' | 'inFlight'>;
  verifier: Pick<VerifyPool, 'verified' | 'size' | 'inFlight' | 'batches'>;
  aggregator: { readonly buffer: Pick<Aggregator['buffer'], 'keys'> };
  dedup: Pick<NetworkDedup, 'waiting'>;
  connections: Pick<ConnectionSet, 'seenBytes'>;
  /** Reading is held back (back-pressure). */
  paused: boolean;
  /** Zap receipts still being checked, and whether a flush is writing (tests wait for both). */
  zaps?: { readonly pending: number };
  flusher?: { readonly busy: boolean; readonly succeeded: number; readonly succeededMs: number };
}

/** A collector's running totals now, for benchmarks and diagnostics. */
export function collectorStats({
  pipeline,
  verifier,
  aggregator,
  dedup,
  connections,
  paused,
  zaps,
  flusher,
}: StatsParts): CollectorStats {
  return {
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
    seenBytes: connections.seenBytes(),
    ...(zaps ? { zapsPending: zaps.pending } : {}),
    ...(flusher ? { flushing: flusher.busy, flushes: flusher.succeeded, flushMs: flusher.succeededMs } : {}),
  };
}
