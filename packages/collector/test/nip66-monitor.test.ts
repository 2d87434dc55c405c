import {
  type SimNetwork,
  startSimNetwork,
  startThirdPartyRelay,
  type ThirdPartyRelay,
} from '@nostr-info/relay-sim';
import type { NostrEvent } from '@nostr-info/shared/nostr';
import { generateSecretKey, getPublicKey, verifyEvent } from 'nostr-tools/pure';
import { bytesToHex } from 'nostr-tools/utils';
import type { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import { createWorld, type TestWorld } from './helpers/context.js';
import { readEvents } from './helpers/read-events.js';

// The NIP-66 monitor publishes to a relay this project does not control (@nostr-relay/core from
// npm) while it watches simulated relays. Read back with nostr-tools: a signed announcement, one
// report per relay whose `d` is the relay's stored URL and whose round-trip times are the ones
// the collector recorded; a relay that drops the collector has its report withdrawn and, back,
// reported again, long before the hour the monitor announces.

const tag = (ev: NostrEvent, name: string) => ev.tags.find((t) => t[0] === name)?.[1];
const newestByD = (events: NostrEvent[]) => {
  const out = new Map<string, NostrEvent>();
  for (const ev of events) {
    const d = tag(ev, 'd') ?? '';
    const seen = out.get(d);
    if (!seen || ev.created_at > seen.created_at) out.set(d, ev);
  }
  return out;
};

/** Events of `kind` the publish relay accepted, from the monitor's counter. */
async function accepted(registry: Registry, kind: string): Promise<number> {
  const metric = await registry.getSingleMetric('nostr_info_collector_monitor_events_published_total')?.get();
  return (metric?.values ?? []).filter((v) => v.labels.kind === kind).reduce((sum, v) => sum + v.value, 0);
}

async function failures(registry: Registry): Promise<number> {
  const metric = await registry.getSingleMetric('nostr_info_collector_monitor_publish_failures_total')?.get();
  return (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0);
}

describe('NIP-66 monitor on a real third-party relay', () => {
  let world: TestWorld;
  let net: SimNetwork;
  let target: ThirdPartyRelay;
  let service: CollectorService | undefined;
  const secretKey = generateSecretKey();
  const pubkey = getPublicKey(secretKey);

  beforeAll(async () => {
    world = await createWorld('nip66');
    target = await startThirdPartyRelay();
    net = await startSimNetwork({
      relays: 3,
      seed: 'collector-nip66',
      rate: 20,
      corpusSize: 50,
      autoStart: false,
    });
  });
  afterAll(async () => {
    await service?.stop();
    await net?.stop();
    await target?.stop();
    await world?.drop();
  });

  it('announces, reports every relay as measured, and republishes a status change at once', async () => {
    const ctx = await world.context({
      RELAYS: net.urls.join(','),
      MONITOR_SECRET_KEY: bytesToHex(secretKey),
      MONITOR_PUBLISH_RELAYS: target.url,
      MONITOR_PUBLISH_INTERVAL_SECONDS: '3600',
    });
    service = await startCollector(ctx, {
      connection: { pingIntervalMs: 1000, backoffInitialMs: 200, backoffMaxMs: 1000, openTimeoutMs: 2000 },
    });
    await net.waitForSubscribers(3, 15_000);
    const reports = () => readEvents(target.url, { kinds: [30166], authors: [pubkey] });
    await expect.poll(async () => (await reports()).length, { timeout: 20_000 }).toBe(3);

    const [announcement] = await readEvents(target.url, { kinds: [10166], authors: [pubkey] });
    expect(announcement && verifyEvent(announcement)).toBe(true);
    expect(announcement?.tags).toContainEqual(['frequency', '3600']);
    expect(announcement?.tags).toContainEqual(['timeout', '2000', 'open']);
    expect(announcement?.tags.filter((t) => t[0] === 'c').map((t) => t[1])).toEqual([
      'open',
      'read',
      'nip11',
    ]);

    const rows = await ctx.dbs.reader
      .selectFrom('relays')
      .select(['url', 'status', 'open_latency_ms', 'eose_latency_ms'])
      .execute();
    expect(rows.map((r) => r.status)).toEqual(['online', 'online', 'online']);
    const first = await reports();
    for (const ev of first) expect(verifyEvent(ev), ev.id).toBe(true);
    expect(first.map((ev) => tag(ev, 'd')).sort()).toEqual(rows.map((r) => r.url).sort());
    for (const row of rows) {
      const ev = first.find((e) => tag(e, 'd') === row.url);
      expect(row.open_latency_ms, row.url).not.toBeNull();
      expect(tag(ev as NostrEvent, 'rtt-open'), row.url).toBe(String(Math.round(row.open_latency_ms ?? -1)));
      expect(tag(ev as NostrEvent, 'rtt-read'), row.url).toBe(String(Math.round(row.eose_latency_ms ?? -1)));
      expect(tag(ev as NostrEvent, 'n')).toBe('clearnet');
      expect(ev?.tags).toContainEqual(['R', '!auth']);
    }

    // Relay 1 starts to demand authentication: reported again at once, now requiring it.
    const url1 = net.urls[1] ?? '';
    net.setMode(1, 'auth-required');
    await expect
      .poll(
        async () =>
          newestByD(await reports())
            .get(url1)
            ?.tags.filter((t) => t[0] === 'R'),
        {
          timeout: 20_000,
        },
      )
      // Payment and writes as its NIP-11 document claims them.
      .toEqual([
        ['R', 'auth'],
        ['R', '!payment'],
        ['R', '!writes'],
      ]);
    const refused = newestByD(await reports()).get(url1) as NostrEvent;
    expect(verifyEvent(refused)).toBe(true);
    expect(tag(refused, 'rtt-read')).toBeUndefined();

    // Relay 0 drops the collector: its report is withdrawn (a NIP-09 deletion by address, which
    // this relay acknowledges with OK but neither keeps nor applies: it is seen in the count of
    // events the relay accepted).
    const url0 = net.urls[0] ?? '';
    const before = newestByD(first).get(url0) as NostrEvent;
    net.setMode(0, 'disconnect-loop');
    await expect.poll(() => accepted(ctx.registry, '5'), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);

    // Back: reported again, dated after the withdrawal, with the times measured on the new socket.
    net.setMode(0, 'normal');
    await expect
      .poll(async () => newestByD(await reports()).get(url0)?.created_at ?? 0, { timeout: 20_000 })
      .toBeGreaterThan(before.created_at);
    await service.stop();
    service = undefined;
    const after = newestByD(await reports()).get(url0) as NostrEvent;
    expect(verifyEvent(after)).toBe(true);
    const row = await ctx.dbs.reader
      .selectFrom('relays')
      .select(['status', 'open_latency_ms'])
      .where('url', '=', url0)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('online');
    const statuses = await ctx.dbs.reader.selectFrom('relays').select(['url', 'status']).execute();
    expect(statuses.find((r) => r.url === url1)?.status).toBe('auth_required');
    expect(tag(after, 'rtt-open')).toBe(String(Math.round(row.open_latency_ms ?? -1)));

    expect(await accepted(ctx.registry, '10166')).toBe(1);
    expect(await accepted(ctx.registry, '30166')).toBeGreaterThanOrEqual(5);
    expect(await failures(ctx.registry)).toBe(0);
  });
});
