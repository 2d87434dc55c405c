import {
  OFF_FILTER_KINDS,
  type RelayMode,
  type SimNetwork,
  startSimNetwork,
  startThirdPartyRelay,
  type ThirdPartyRelay,
} from '@nostr-info/relay-sim';
import { eventsSchema, relaysSchema } from '@nostr-info/shared/stats';
import { sql } from 'kysely';
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import type { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import { dbFigures, truthFigures } from './helpers/compare.js';
import { type CollectorContext, createWorld, type TestWorld } from './helpers/context.js';
import { schedulerSnapshot } from './helpers/snapshot.js';
import { streamFor } from './helpers/stream.js';

// Only what we asked for. Two relays ignore the collector's filter: on every live subscription
// they send kinds it never asked for (4, 1059, 20001), profiles, notes and a relay list created
// 30 days before its `since`, and notes under a subscription id it never gave them. Each such
// copy is charged to its relay as `off_filter` by reason, once per id, and reaches no network
// figure (events, users, discovery); every honest figure still equals the ground truth.

const MODES: RelayMode[] = ['off-filter', 'normal', 'normal', 'off-filter'];
/** What one `off-filter` relay sends (see relay-sim's `offFilterEvents`), each id once. */
const PER_RELAY = { subscription: 2, kind: 3, since: 3, until: 0 };

async function metricSum(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))
    .reduce((s, v) => s + v.value, 0);
}

async function offFilterByRelay(ctx: CollectorContext) {
  const rows = await ctx.dbs.reader
    .selectFrom('relay_off_filter_daily as o')
    .innerJoin('relays as r', 'r.id', 'o.relay_id')
    .select(['r.url', 'o.reason', sql<number>`sum(o.copies)::int`.as('copies')])
    .groupBy(['r.url', 'o.reason'])
    .execute();
  const out: Record<string, Record<string, number>> = {};
  for (const r of rows) out[r.url] = { ...out[r.url], [r.reason]: r.copies };
  return out;
}

describe('copies outside the subscription that brought them', () => {
  let world: TestWorld;
  let net: SimNetwork;
  let service: CollectorService | undefined;

  beforeAll(async () => {
    world = await createWorld('offfilter');
    net = await startSimNetwork({
      relays: MODES.length,
      modes: MODES,
      seed: 'collector-off-filter',
      rate: 150,
      corpusSize: 1000,
      copies: 3,
      autoStart: false,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await net?.stop();
    await world?.drop();
  });

  it('are charged to their relay by reason and counted nowhere else', async () => {
    const ctx = await world.context({ RELAYS: net.urls.join(','), DISCOVERY_ENABLED: 'true' });
    service = await startCollector(ctx, { nip11: false });
    await net.waitForSubscribers(net.urls.length, 15_000);
    await streamFor(net, 3000);
    await service.stop();
    service = undefined;

    const truth = net.truth();
    const hostile = net.urls.filter((_, i) => MODES[i] === 'off-filter');
    // Exactly the set each hostile relay sent, once per id however often it re-sent it.
    for (const url of hostile) expect(truth.relays[url]?.offFilter).toEqual(PER_RELAY);
    expect(truth.offFilter).toEqual({ subscription: 4, kind: 6, since: 6, until: 0 });

    // Honest figures exact: relays' valid copies, events by kind, users, clients, zaps, articles.
    expect(await dbFigures(ctx.dbs.reader)).toEqual(truthFigures(truth, net.urls));
    const stored = await offFilterByRelay(ctx);
    expect(Object.keys(stored).sort()).toEqual([...hostile].sort());
    for (const url of hostile) {
      expect(stored[url]).toEqual({ subscription: 2, kind: 3, since: 3 });
      for (const [reason, n] of Object.entries(PER_RELAY)) {
        const metric = 'nostr_info_collector_events_off_filter_total';
        expect(await metricSum(ctx.registry, metric, { relay: url, reason })).toBe(n);
      }
    }
    // Never an event, nor a user, nor a relay to discover.
    const kinds = await ctx.dbs.reader.selectFrom('network_events_daily').select('kind').execute();
    for (const kind of OFF_FILTER_KINDS) expect(kinds.map((k) => k.kind)).not.toContain(kind);
    const discovered = await ctx.dbs.reader
      .selectFrom('relays')
      .select('url')
      .where('url', 'like', '%off-filter.sim.example%')
      .execute();
    expect(discovered).toEqual([]);

    // Through the scheduler: per-relay rows and the network breakdown by reason.
    const snapshot = await schedulerSnapshot(world);
    // The sections this test is about, as the API documents them.
    relaysSchema.parse(snapshot.relays);
    eventsSchema.parse(snapshot.events);
    for (const row of snapshot.relays.relays) {
      expect(row.off_filter, row.url).toBe(hostile.includes(row.url) ? 8 : 0);
    }
    expect(snapshot.events.off_filter).toEqual({ total: 16, by_reason: truth.offFilter });
    expect(snapshot.overview.events.off_filter).toBe(16);
    expect(snapshot.overview.events.unique).toBe(truth.unique);
    expect(snapshot.events.by_kind).toEqual(
      Object.fromEntries(Object.entries(truth.uniqueByKind).map(([k, n]) => [k, n])),
    );
  });
});

describe('an honest event through a real third-party relay', () => {
  let world: TestWorld;
  let relay: ThirdPartyRelay;
  let service: CollectorService | undefined;

  beforeAll(async () => {
    world = await createWorld('offfilter_tp');
    relay = await startThirdPartyRelay();
  });
  afterAll(async () => {
    await service?.stop();
    await relay?.stop();
    await world?.drop();
  });

  it('still counts, and an old event the relay does not serve is charged to nobody', async () => {
    const ctx = await world.context({ RELAYS: relay.url });
    service = await startCollector(ctx, { nip11: false });
    await expect
      .poll(
        async () => (await ctx.dbs.reader.selectFrom('relays').select('status').executeTakeFirst())?.status,
        {
          timeout: 10_000,
        },
      )
      .toBe('online');
    const key = generateSecretKey();
    const now = Math.floor(Date.now() / 1000);
    const fresh = finalizeEvent({ kind: 1, created_at: now + 1, tags: [], content: 'hello' }, key);
    // Below the subscription's `since`: @nostr-relay applies it to live events and sends nothing.
    const old = finalizeEvent({ kind: 1, created_at: now - 86_400, tags: [], content: 'old' }, key);
    expect((await relay.publish(old)).accepted).toBe(true);
    expect((await relay.publish(fresh)).accepted).toBe(true);
    const unique = async () =>
      Number(
        (
          await ctx.dbs.reader
            .selectFrom('network_events_daily')
            .select(sql<number>`coalesce(sum(events), 0)::int`.as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    await expect.poll(unique, { timeout: 10_000, message: 'the fresh note counted' }).toBe(1);
    await service.stop();
    service = undefined;
    expect(await unique()).toBe(1);
    expect(await offFilterByRelay(ctx)).toEqual({});
  });
});
