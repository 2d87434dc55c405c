import { describe, expect, it } from 'vitest';
import { createRegistry, METRIC_PREFIX, PACKAGE_VERSION } from './registry.js';

describe('createRegistry', () => {
  it('exposes nostr_info_build_info = 1 with service, version and Node version', async () => {
    const registry = createRegistry({ service: 'api', defaultMetrics: false });
    const text = await registry.metrics();
    expect(text).toContain('# TYPE nostr_info_build_info gauge');
    expect(text).toContain(
      `nostr_info_build_info{service="api",version="${PACKAGE_VERSION}",node_version="${process.version}"} 1`,
    );
  });

  it('adds process metrics under the project prefix, per registry', async () => {
    const a = createRegistry({ service: 'collector' });
    const b = createRegistry({ service: 'scheduler' });
    const names = (await a.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toContain(`${METRIC_PREFIX}process_cpu_seconds_total`);
    expect(names).toContain(`${METRIC_PREFIX}nodejs_eventloop_lag_seconds`);
    expect(names.every((n) => n.startsWith(METRIC_PREFIX))).toBe(true);
    // Two registries in one process (all-in-one) do not collide.
    expect(await b.metrics()).toContain('service="scheduler"');
  });
});
