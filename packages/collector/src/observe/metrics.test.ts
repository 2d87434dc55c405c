import { createRegistry, hotCell } from '@nostr-info/shared/metrics';
import { describe, expect, it } from 'vitest';
import { createCollectorMetrics } from './metrics.js';

describe('hot cells', () => {
  it('hand their counts to the counter when the registry is read, once', async () => {
    const registry = createRegistry({ service: 'collector' });
    const metrics = createCollectorMetrics(registry);
    const a = hotCell(metrics.eventsReceived, { relay: 'wss://a.example.com/', kind: '1' });
    const b = hotCell(metrics.eventsReceived, { relay: 'wss://b.example.com/', kind: '7' });
    a.n += 5;
    b.n += 2;
    metrics.eventsReceived.inc({ relay: 'wss://a.example.com/', kind: '1' }, 10);
    const read = async () =>
      (await metrics.eventsReceived.get()).values.map((v) => [v.labels.relay, v.value]);
    expect(await read()).toEqual([
      ['wss://a.example.com/', 15],
      ['wss://b.example.com/', 2],
    ]);
    // A second read adds nothing new; later counts add up.
    expect(await read()).toEqual([
      ['wss://a.example.com/', 15],
      ['wss://b.example.com/', 2],
    ]);
    b.n += 1;
    const text = await registry.metrics();
    expect(text).toContain(
      'nostr_info_collector_events_received_total{relay="wss://b.example.com/",kind="7"} 3',
    );
  });
});
