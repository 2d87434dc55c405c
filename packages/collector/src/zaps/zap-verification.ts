import type { Database } from '@nostr-info/shared/db';
import type { Logger } from '@nostr-info/shared/log';
import type { Kysely } from 'kysely';
import type { Aggregator } from '../aggregate/aggregator.js';
import { SafeFetch } from '../net/safe-fetch.js';
import type { CollectorMetrics } from '../observe/metrics.js';
import type { ResolveAll } from '../relay/public-lookup.js';
import type { VerifyPool } from '../verify/verify-pool.js';
import { LightningDirectory } from './lightning-directory.js';
import { ProviderKeys } from './provider-keys.js';
import { ZapVerifier } from './zap-verifier.js';

/** Tunables of zap verification (tests shorten the waits or resolve names their own way). */
export interface ZapTuning {
  profileWaitMs?: number;
  recheckMs?: number;
  maxPending?: number;
  /** Name resolution for LNURL hosts (default the system resolver). */
  resolveAll?: ResolveAll;
}

/** What zap verification is built from. */
export interface ZapVerificationParts {
  /** `LNURL_ALLOW_INSECURE`. */
  allowInsecure: boolean;
  db: Kysely<Database>;
  aggregator: Aggregator;
  verifier: Pick<VerifyPool, 'verify'>;
  metrics: CollectorMetrics;
  logger: Logger;
  tuning?: ZapTuning;
}

/**
 * Builds the replica's zap verification — one safe HTTP client, the provider-key cache, the
 * Lightning address directory — and connects it to the aggregator, which hands it every
 * network-unique receipt and profile.
 */
export function startZapVerification({
  allowInsecure,
  db,
  aggregator,
  verifier,
  metrics,
  logger,
  tuning = {},
}: ZapVerificationParts): ZapVerifier {
  const log = logger.child({ module: 'zaps' });
  if (allowInsecure) {
    log.warn(
      'LNURL_ALLOW_INSECURE is on: LNURL documents are fetched over plain http and from private and loopback addresses (tests only)',
    );
  }
  const fetch = new SafeFetch({
    allowHttp: allowInsecure,
    allowPrivate: allowInsecure,
    ...(tuning.resolveAll ? { resolveAll: tuning.resolveAll } : {}),
  });
  const providers = new ProviderKeys({
    fetch,
    onFetched: (answer) => metrics.lnurlFetches.inc({ result: answer.kind }),
  });
  const zaps = new ZapVerifier({
    verdicts: () => aggregator.buffer.zapVerdicts,
    verify: (item) => verifier.verify(item),
    directory: new LightningDirectory({ db }),
    providers,
    insecure: allowInsecure,
    ...(tuning.profileWaitMs !== undefined ? { profileWaitMs: tuning.profileWaitMs } : {}),
    ...(tuning.recheckMs !== undefined ? { recheckMs: tuning.recheckMs } : {}),
    ...(tuning.maxPending !== undefined ? { maxPending: tuning.maxPending } : {}),
    onPending: (n) => metrics.zapsPending.set(n),
    logger: log,
  });
  aggregator.zapSink = zaps;
  return zaps;
}
