import { METRIC_PREFIX } from '@nostr-info/shared/metrics';
import { Counter, type Metric, type Registry } from 'prom-client';

/** The NIP-66 monitor's metrics (docs/metrics.md); the `relay` label is a configured publish relay. */
export interface MonitorMetrics {
  published: Counter<'relay' | 'kind'>;
  failures: Counter<'relay' | 'kind'>;
}

function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]) {
  const existing = registry.getSingleMetric(METRIC_PREFIX + name) as Metric | undefined;
  return (
    (existing as Counter<L> | undefined) ??
    new Counter<L>({ name: METRIC_PREFIX + name, help, labelNames, registers: [registry] })
  );
}

/** Registers the monitor's counters once per registry. */
export function createMonitorMetrics(registry: Registry): MonitorMetrics {
  return {
    published: counter(
      registry,
      'collector_monitor_events_published_total',
      'NIP-66 events (kind 10166, 30166, 5) a publish relay accepted with OK.',
      ['relay', 'kind'],
    ),
    failures: counter(
      registry,
      'collector_monitor_publish_failures_total',
      'NIP-66 events a publish relay did not accept (refused, or no OK) after every retry.',
      ['relay', 'kind'],
    ),
  };
}
