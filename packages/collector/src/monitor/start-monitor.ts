import type { CollectorEnv } from '@nostr-info/shared/config';
import type { Database } from '@nostr-info/shared/db';
import type { Logger } from '@nostr-info/shared/log';
import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import type { ConnectionOptions } from '../relay/connection-types.js';
import { Nip66Monitor } from './monitor.js';
import { createMonitorMetrics } from './monitor-metrics.js';
import { MonitorPublisher } from './publisher.js';
import { readRelayFacts } from './relay-facts.js';

/** What the monitor needs from the running collector. */
export interface MonitorParts {
  db: Kysely<Database>;
  registry: Registry;
  logger: Logger;
  ordinal: number;
  heldRelayIds: () => number[];
  /** The connections' tunables: their timeouts are announced in the kind 10166 event. */
  connection?: Pick<ConnectionOptions, 'openTimeoutMs' | 'answerTimeoutMs'> | undefined;
}

/** `RelayConnection`'s and `fetchRelayInfo`'s default timeouts (ms), for the announcement. */
const DEFAULT_TIMEOUTS = { open: 10_000, read: 15_000, nip11: 10_000 };

/**
 * The NIP-66 monitor when `MONITOR_SECRET_KEY` and `MONITOR_PUBLISH_RELAYS` are set (the env
 * schema refuses one without the other), else undefined. Ordinal 0 (also the all-in-one process)
 * announces the monitor; every replica reports the relays it holds.
 */
export function startNip66Monitor(
  env: Pick<
    CollectorEnv,
    'MONITOR_SECRET_KEY' | 'MONITOR_PUBLISH_RELAYS' | 'MONITOR_PUBLISH_INTERVAL_SECONDS'
  >,
  parts: MonitorParts,
): Nip66Monitor | undefined {
  const secretKey = env.MONITOR_SECRET_KEY;
  const relays = env.MONITOR_PUBLISH_RELAYS ?? [];
  // Registered even when the monitor is off, so the alert's series are known (and absent) to
  // Prometheus rather than unknown metric names.
  const metrics = createMonitorMetrics(parts.registry);
  if (!secretKey || relays.length === 0) return undefined;
  const logger = parts.logger.child({ module: 'nip66-monitor' });
  const publisher = new MonitorPublisher({
    secretKey,
    relays,
    metrics,
    logger,
  });
  logger.info({ pubkey: publisher.pubkey, relays, announce: parts.ordinal === 0 }, 'NIP-66 monitor on');
  return new Nip66Monitor({
    publisher,
    heldRelayIds: parts.heldRelayIds,
    readFacts: (ids) => readRelayFacts(parts.db, ids),
    announce: parts.ordinal === 0,
    checks: {
      frequencySeconds: env.MONITOR_PUBLISH_INTERVAL_SECONDS,
      openTimeoutMs: parts.connection?.openTimeoutMs ?? DEFAULT_TIMEOUTS.open,
      readTimeoutMs: parts.connection?.answerTimeoutMs ?? DEFAULT_TIMEOUTS.read,
      nip11TimeoutMs: DEFAULT_TIMEOUTS.nip11,
    },
    logger,
  });
}
