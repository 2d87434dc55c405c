import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { ConnectionState } from '../observe/metrics.js';
import { createCollectorMetrics } from '../observe/metrics.js';
import { Housekeeping } from './housekeeping.js';

describe('Housekeeping', () => {
  it('sets the gauges, checks back-pressure, then lets the flush schedule look', async () => {
    const metrics = createCollectorMetrics(new Registry());
    const calls: string[] = [];
    const housekeeping = new Housekeeping({
      metrics,
      buffer: { bufferedKeys: 1234 },
      backPressure: { check: () => calls.push('back-pressure') },
      connections: {
        connectedCount: () => 3,
        stateCounts: () =>
          new Map<ConnectionState, number>([
            ['open', 3],
            ['backoff', 1],
            ['closed', 0],
          ]),
      },
      flushes: { tick: () => calls.push('flush schedule') },
    });
    housekeeping.tick();
    expect(calls).toEqual(['back-pressure', 'flush schedule']);
    expect((await metrics.bufferKeys.get()).values[0]?.value).toBe(1234);
    expect((await metrics.relaysConnected.get()).values[0]?.value).toBe(3);
    const byState = Object.fromEntries(
      (await metrics.connections.get()).values.map((v) => [v.labels.state, v.value]),
    );
    expect(byState).toEqual({ open: 3, backoff: 1, closed: 0 });
  });
});
