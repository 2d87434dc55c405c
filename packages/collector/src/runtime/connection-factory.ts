import { seenCapacity } from '../dedup/seen-budget.js';
import { type ConnectionHost, type ConnectionOptions, RelayConnection } from '../relay/relay-connection.js';
import type { WatchedRelay } from '../store/relays-repo.js';

/** What every new connection is built with. */
export interface ConnectionFactoryOptions {
  host: ConnectionHost;
  /** The connections held now: a new one starts with an equal share of the seen budget. */
  connections: { readonly size: number };
  /** RESUME_MEMORY_MB in bytes, shared by the seen sets of all watched relays. */
  seenBudgetBytes: number;
  /** RESUME_LOOKBACK_SECONDS. */
  resumeLookbackSeconds: number;
  /** DEDUP_TTL_SECONDS: how long the network-wide dedup remembers an id. */
  dedupTtlSeconds: number;
  /** Connection tunables that win over these (tests shorten pings and backoff). */
  overrides?: ConnectionOptions;
}

/** Builds the reconciler's `createConnection`: one `RelayConnection` per relay this replica takes. */
export function connectionFactory({
  host,
  connections,
  seenBudgetBytes,
  resumeLookbackSeconds,
  dedupTtlSeconds,
  overrides,
}: ConnectionFactoryOptions): (relay: WatchedRelay) => RelayConnection {
  // A replay never reaches back to ids the network-wide dedup may have forgotten.
  const resumeMaxAgeSeconds = dedupTtlSeconds - Math.min(3600, Math.floor(dedupTtlSeconds / 10));
  return function createConnection(relay: WatchedRelay): RelayConnection {
    const conn = new RelayConnection(relay.id, relay.url, host, {
      resumeLookbackSeconds,
      resumeMaxAgeSeconds,
      // The budget is shared out by need at the next reconcile tick (see SeenBudget).
      seenCapacity: seenCapacity(connections.size + 1, seenBudgetBytes),
      publicOnly: relay.source === 'discovered',
      ...overrides,
    });
    // The limits any replica last read from the relay's NIP-11 document (refreshed daily).
    conn.applyLimits({
      maxMessageLength: relay.max_message_length ?? null,
      maxSubscriptions: relay.max_subscriptions ?? null,
    });
    return conn;
  };
}
