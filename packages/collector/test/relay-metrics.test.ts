import { afterEach, describe, expect, it } from 'vitest';
import { RelayConnection } from '../src/relay/relay-connection.js';
import { testHost } from './helpers/connection-host.js';
import { TestRelay } from './helpers/test-relay.js';

// Relay health is exported per relay, not only written to the database: up, time to open, REQ →
// EOSE, connected and observed time (uptime), failures by class; a relay that leaves the replica
// takes its gauges with it.

describe('per-relay health metrics', () => {
  let relay: TestRelay | undefined;
  afterEach(async () => {
    await relay?.close();
  });

  it('follow the connection through connect, drop, reconnect and release', async () => {
    relay = await TestRelay.start();
    const { host, registry } = testHost();
    const value = async (name: string, labels: Record<string, string> = {}) => {
      const metric = await registry.getSingleMetric(`nostr_info_collector_${name}`)?.get();
      return metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
    };
    const conn = new RelayConnection(1, relay.url, host, { backoffInitialMs: 100, backoffMaxMs: 200 });
    const url = conn.url;
    conn.start();
    await expect.poll(() => relay?.subscribers, { timeout: 5000, message: 'subscription' }).toBe(1);
    await expect
      .poll(() => value('relay_eose_seconds', { relay: url }), { timeout: 5000, message: 'EOSE' })
      .toBeDefined();
    expect(await value('relay_up', { relay: url })).toBe(1);
    expect(await value('relay_open_seconds', { relay: url })).toBeGreaterThanOrEqual(0);
    expect(await value('relay_open_seconds', { relay: url })).toBeLessThan(5);

    relay.dropClients();
    await expect.poll(() => value('relay_up', { relay: url }), { timeout: 5000, message: 'down' }).toBe(0);
    expect(await value('relay_errors_total', { relay: url, class: 'closed' })).toBe(1);
    await expect.poll(() => value('relay_up', { relay: url }), { timeout: 5000, message: 'back up' }).toBe(1);

    await new Promise((r) => setTimeout(r, 300));
    conn.accountHealth();
    const observed = (await value('relay_observed_seconds_total', { relay: url })) ?? 0;
    const connected = (await value('relay_connected_seconds_total', { relay: url })) ?? 0;
    expect(observed).toBeGreaterThan(0.3);
    expect(connected).toBeGreaterThan(0);
    expect(connected).toBeLessThan(observed);

    await conn.stop(200);
    expect(await value('relay_up', { relay: url })).toBeUndefined();
    expect(await value('relay_eose_seconds', { relay: url })).toBeUndefined();
  });
});
