import type { Cache } from '@nostr-info/shared/cache';
import type { Logger } from '@nostr-info/shared/log';
import { LIVE_CHANNEL } from '@nostr-info/shared/stats';
import { liveMessage } from '../observe/live.js';
import type { ConnectionSet } from './connection-set.js';

/** Where the live feed's figures come from and where it goes. */
export interface LivePublisherOptions {
  /** The pipeline: network-unique events by kind since the last message. */
  counts: { takeUniqueByKind(): Map<number, number> };
  connections: Pick<ConnectionSet, 'size' | 'connectedCount'>;
  cache: Pick<Cache, 'publish'>;
  /** How often `publish` is to be called (default 5 s); the rates are per second over it. */
  intervalMs?: number;
  /** This replica's ordinal (the API sums the replicas' messages). */
  ordinal: number;
  logger: Pick<Logger, 'debug'>;
}

/**
 * Publishes this replica's live message (event rates by kind, relays connected and owned) on
 * LIVE_CHANNEL for the API's event stream. Best effort: a message the cache does not take is
 * dropped, the next one carries the next interval.
 */
export class LivePublisher {
  /** How often `publish` is to be called. */
  readonly intervalMs: number;

  constructor(private readonly options: LivePublisherOptions) {
    this.intervalMs = options.intervalMs ?? 5000;
  }

  /** Publishes the counts since the last call and starts counting again. */
  publish(): void {
    const { counts, connections, cache, ordinal, logger } = this.options;
    const connected = connections.connectedCount();
    const message = liveMessage(
      counts.takeUniqueByKind(),
      this.intervalMs / 1000,
      connected,
      connections.size,
      ordinal,
    );
    cache.publish(LIVE_CHANNEL, JSON.stringify(message)).catch((err: unknown) => {
      logger.debug({ err }, 'live message not published');
    });
  }
}
