import type { Migration, MigrationProvider } from 'kysely';
import * as initialSchema from './migrations/2026-11-24T00-00-00-initial-schema.js';
import * as statsRollups from './migrations/2026-11-24T06-00-00-stats-rollups.js';
import * as flushLedger from './migrations/2026-11-24T12-00-00-flush-ledger.js';
import * as zapExtraMsats from './migrations/2026-11-24T19-30-00-zap-extra-msats.js';
import * as relayHeldAt from './migrations/2026-11-24T19-45-00-relay-held-at.js';
import * as relayHeldAtUnwatched from './migrations/2026-11-24T21-30-00-relay-held-at-unwatched.js';
import * as zapVerification from './migrations/2026-12-05T10-00-00-zap-verification.js';
import * as offFilterLateDeletions from './migrations/2026-12-05T11-00-00-off-filter-late-deletions.js';
import * as servingStatusDiscovery from './migrations/2026-12-05T12-00-00-serving-status-discovery.js';
import * as rolling24h from './migrations/2026-12-05T13-00-00-rolling-24h.js';
import * as durableResume from './migrations/2026-12-05T14-00-00-durable-resume.js';
import * as relayObservatory from './migrations/2026-12-05T15-00-00-relay-observatory.js';
import * as followGraphTrust from './migrations/2026-12-05T16-00-00-follow-graph-trust.js';
import * as durableCharges from './migrations/2026-12-06T09-00-00-durable-charges.js';
import * as relayOutages from './migrations/2026-12-06T10-00-00-relay-outages.js';
import * as monitorReports from './migrations/2026-12-06T11-00-00-monitor-reports.js';
import * as relayAddresses from './migrations/2026-12-06T12-00-00-relay-addresses.js';
import * as backfillProgress from './migrations/2026-12-06T13-00-00-backfill-progress.js';
import * as trustState from './migrations/2026-12-06T15-00-00-trust-state.js';
import * as pubkeyTiers from './migrations/2026-12-06T16-00-00-pubkey-tiers.js';
import * as followGraphStats from './migrations/2026-12-06T17-00-00-follow-graph-stats.js';
import * as userTierBuckets from './migrations/2026-12-07T10-00-00-user-tier-buckets.js';
import * as participantTiers from './migrations/2026-12-07T11-00-00-participant-tiers.js';

/**
 * Every migration, by timestamped name. Listed statically (not read from a folder) so a pruned
 * production bundle carries exactly these.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-24T00-00-00-initial-schema': initialSchema,
  '2026-11-24T06-00-00-stats-rollups': statsRollups,
  '2026-11-24T12-00-00-flush-ledger': flushLedger,
  '2026-11-24T19-30-00-zap-extra-msats': zapExtraMsats,
  '2026-11-24T19-45-00-relay-held-at': relayHeldAt,
  '2026-11-24T21-30-00-relay-held-at-unwatched': relayHeldAtUnwatched,
  '2026-12-05T10-00-00-zap-verification': zapVerification,
  '2026-12-05T11-00-00-off-filter-late-deletions': offFilterLateDeletions,
  '2026-12-05T12-00-00-serving-status-discovery': servingStatusDiscovery,
  '2026-12-05T13-00-00-rolling-24h': rolling24h,
  '2026-12-05T14-00-00-durable-resume': durableResume,
  '2026-12-05T15-00-00-relay-observatory': relayObservatory,
  '2026-12-05T16-00-00-follow-graph-trust': followGraphTrust,
  '2026-12-06T09-00-00-durable-charges': durableCharges,
  '2026-12-06T11-00-00-monitor-reports': monitorReports,
  '2026-12-06T13-00-00-backfill-progress': backfillProgress,
  '2026-12-06T10-00-00-relay-outages': relayOutages,
  '2026-12-06T12-00-00-relay-addresses': relayAddresses,
  '2026-12-06T15-00-00-trust-state': trustState,
  '2026-12-06T16-00-00-pubkey-tiers': pubkeyTiers,
  '2026-12-06T17-00-00-follow-graph-stats': followGraphStats,
  '2026-12-07T10-00-00-user-tier-buckets': userTierBuckets,
  '2026-12-07T11-00-00-participant-tiers': participantTiers,
};

/** A Kysely MigrationProvider over `migrations`. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
