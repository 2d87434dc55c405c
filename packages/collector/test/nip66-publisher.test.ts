import { startThirdPartyRelay, type ThirdPartyRelay } from '@nostr-info/relay-sim';
import { freePort } from '@nostr-info/shared/testing';
import { generateSecretKey, verifyEvent } from 'nostr-tools/pure';
import { bytesToHex } from 'nostr-tools/utils';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonitorMetrics } from '../src/monitor/monitor-metrics.js';
import { MonitorPublisher } from '../src/monitor/publisher.js';
import { readEvents } from './helpers/read-events.js';

// The publisher on its own: a real relay (@nostr-relay/core) takes the events, a relay nobody
// listens on is tried again with backoff and then counted as failed, and neither holds up the other.

const logger = { info: () => undefined, warn: () => undefined };

async function counter(registry: Registry, name: string): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric(`nostr_info_collector_monitor_${name}`)?.get();
  return Object.fromEntries(
    (metric?.values ?? []).map((v) => [`${v.labels.relay} ${v.labels.kind}`, v.value]),
  );
}

describe('MonitorPublisher', () => {
  let relay: ThirdPartyRelay;
  beforeAll(async () => {
    relay = await startThirdPartyRelay();
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('publishes to the relay that answers, retries and counts the one that does not', async () => {
    const dead = `ws://127.0.0.1:${await freePort()}`;
    const registry = new Registry();
    const publisher = new MonitorPublisher({
      secretKey: bytesToHex(generateSecretKey()),
      relays: [relay.url, dead],
      metrics: createMonitorMetrics(registry),
      logger,
      attempts: 3,
      retryInitialMs: 50,
      batchTimeoutMs: 2000,
    });
    const now = Math.floor(Date.now() / 1000);
    const events = ['wss://a.example', 'wss://b.example'].map((d) =>
      publisher.sign({ kind: 30166, tags: [['d', d]], content: '' }, now),
    );
    for (const ev of events) expect(verifyEvent({ ...ev })).toBe(true);

    expect(await publisher.publish(events)).toEqual({ accepted: 2, failed: 2 });
    const stored = await readEvents(relay.url, { kinds: [30166], authors: [publisher.pubkey] });
    expect(stored.map((ev) => ev.id).sort()).toEqual(events.map((ev) => ev.id).sort());
    expect(await counter(registry, 'events_published_total')).toEqual({ [`${relay.url} 30166`]: 2 });
    expect(await counter(registry, 'publish_failures_total')).toEqual({ [`${dead} 30166`]: 2 });

    // Sent again (a lost OK), the relay answers `duplicate:` or accepts: stored either way.
    expect((await publisher.publish(events.slice(0, 1))).accepted).toBe(1);
  });

  it('gives up at once when stopped between tries', async () => {
    const registry = new Registry();
    const publisher = new MonitorPublisher({
      secretKey: bytesToHex(generateSecretKey()),
      relays: [`ws://127.0.0.1:${await freePort()}`],
      metrics: createMonitorMetrics(registry),
      logger,
      retryInitialMs: 60_000,
      batchTimeoutMs: 2000,
    });
    const sending = publisher.publish([publisher.sign({ kind: 10166, tags: [], content: '' })]);
    setTimeout(() => publisher.stop(), 200);
    expect(await sending).toEqual({ accepted: 0, failed: 1 });
  });
});
