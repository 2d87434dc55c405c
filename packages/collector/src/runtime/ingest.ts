import type { Cache } from '@nostr-info/shared/cache';
import type { CollectorEnv } from '@nostr-info/shared/config';
import type { Logger } from '@nostr-info/shared/log';
import { Aggregator } from '../aggregate/aggregator.js';
import type { CollectorOptions } from '../collector-types.js';
import { type ClaimOwners, NetworkDedup } from '../dedup/dedup.js';
import { ValidIds } from '../dedup/valid-ids.js';
import { ownMonitorPubkey } from '../monitor/monitor-pubkey.js';
import type { CollectorMetrics } from '../observe/metrics.js';
import { EventPipeline } from '../pipeline.js';
import { VerifyPool } from '../verify/verify-pool.js';

/** The settings the event path reads. */
export type IngestEnv = Pick<
  CollectorEnv,
  'VERIFY_WORKERS' | 'DEDUP_TTL_SECONDS' | 'DISCOVERY_ENABLED' | 'MONITOR_SECRET_KEY'
>;

/** What the event path reports to and who hears when a pending copy settles. */
export interface IngestParts {
  cache: Cache;
  metrics: CollectorMetrics;
  logger: Logger;
  /** Called whenever a pending copy gets its answer (the back-pressure gate re-checks). */
  onSettled: () => void;
  /** This instance's token (written in its dedup claims) and who owns the claims found. */
  token?: string;
  owners?: ClaimOwners;
}

/** A replica's event path: signature checks, network dedup, the pipeline and its counters. */
export interface Ingest {
  aggregator: Aggregator;
  verifier: VerifyPool;
  dedup: NetworkDedup;
  pipeline: EventPipeline;
}

/** Starts the event path (the verifier's workers are ready when it resolves). */
export async function startIngest(
  env: IngestEnv,
  options: Pick<CollectorOptions, 'validIdsMax'>,
  { cache, metrics, logger, onSettled, token, owners }: IngestParts,
): Promise<Ingest> {
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
    cache,
    ...(token ? { token } : {}),
    ...(owners ? { owners } : {}),
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
    monitorPubkey: ownMonitorPubkey(env),
    onSettled,
  });
  return { aggregator, verifier, dedup, pipeline };
}
