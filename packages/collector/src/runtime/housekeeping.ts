import type { CollectorMetrics } from '../observe/metrics.js';
import type { ConnectionSet } from './connection-set.js';

/** What the frequent check reads, drives and reports. */
export interface HousekeepingOptions {
  metrics: Pick<CollectorMetrics, 'bufferKeys' | 'relaysConnected' | 'connections'>;
  /** Keyed counters in memory (the flusher). */
  buffer: { readonly bufferedKeys: number };
  backPressure: { check(): void };
  connections: Pick<ConnectionSet, 'connectedCount' | 'stateCounts'>;
  flushes: { tick(): void };
}

/**
 * The frequent, cheap check (every 200 ms at most): the buffer bound, the gauges, and whether a
 * flush is due. Back-pressure goes first, so a pause it decides makes the flush due at once.
 */
export class Housekeeping {
  constructor(private readonly options: HousekeepingOptions) {}

  /** One check; never waits for the flush it may start. */
  tick(): void {
    const { metrics, buffer, backPressure, connections, flushes } = this.options;
    metrics.bufferKeys.set(buffer.bufferedKeys);
    backPressure.check();
    // Counted from the connections themselves: a relay that left this replica leaves the gauge.
    metrics.relaysConnected.set(connections.connectedCount());
    for (const [state, count] of connections.stateCounts()) metrics.connections.set({ state }, count);
    flushes.tick();
  }
}
