import type { CounterBuffer } from '../aggregate/counter-buffer.js';
import type { CollectorMetrics } from '../observe/metrics.js';
import type { OutageSink } from './outage-tracker.js';

/** What the sink writes into: the live counter buffer and the collector's metrics (a `HealthHost`). */
interface OutageHost {
  metrics: CollectorMetrics;
  buffer(): CounterBuffer;
}

/**
 * The outage sink of one relay: writes go into the host's live counter buffer (committed with the
 * flush), confirmations into `collector_relay_outages_total` and ongoing outages into
 * `collector_relays_in_outage`.
 */
export function outageSink(relayId: number, host: OutageHost): OutageSink {
  return {
    write(outage, change) {
      host.buffer().outages.write({ relayId, ...outage });
      const m = host.metrics;
      if (change === 'confirmed') m.relayOutages.inc({ cause: outage.cause });
      if ((change === 'confirmed' && outage.endedAt === null) || change === 'reopened')
        m.relaysInOutage.inc();
      else if (change === 'ended') m.relaysInOutage.dec();
    },
    servedAfterBegin(at) {
      host.buffer().outages.served(relayId, at);
    },
  };
}
