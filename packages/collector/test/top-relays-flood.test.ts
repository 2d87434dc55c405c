import { type RelayMode, type SimNetwork, startSimNetwork } from '@nostr-info/relay-sim';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import { dbFigures, truthFigures } from './helpers/compare.js';
import { createWorld, type TestWorld } from './helpers/context.js';
import { schedulerSnapshot } from './helpers/snapshot.js';
import { streamFor } from './helpers/stream.js';

// Top relays that a flood cannot win. One relay streams 2,000 valid events from 2,000 fresh keys
// that no other relay carries, far more than any honest relay delivers. "Most active" ranks by
// corroborated events (events at least one other watched relay also delivered), so the flooding
// relay is not among the 10 most active while ten honest relays are. Two collector replicas share
// the relays: the relay that delivered an event first is credited when a relay on the other
// replica delivers it later, and every relay's corroborated count equals the ground truth.

const RELAYS = 12;
const MODES: RelayMode[] = ['fresh-key-flood', ...Array<RelayMode>(RELAYS - 1).fill('normal')];

describe('most active relays under a fresh-key flood', () => {
  let world: TestWorld;
  let net: SimNetwork;
  const services: CollectorService[] = [];

  beforeAll(async () => {
    world = await createWorld('top_flood');
    net = await startSimNetwork({
      relays: RELAYS,
      modes: MODES,
      seed: 'collector-top-flood',
      rate: 150,
      corpusSize: 1200,
      copies: 3,
      autoStart: false,
      freshFloodEvents: 2000,
      freshFloodPerSecond: 1000,
    });
  });

  afterAll(async () => {
    for (const s of services) await s.stop();
    await net?.stop();
    await world?.drop();
  });

  it('ranks by events another relay also delivered, exactly, across replicas', async () => {
    const contexts = [];
    for (const ordinal of [0, 1]) {
      const ctx = await world.context({
        RELAYS: net.urls.join(','),
        COLLECTOR_ORDINAL: String(ordinal),
        COLLECTOR_REPLICAS: '2',
      });
      contexts.push(ctx);
      services.push(await startCollector(ctx, { nip11: false }));
    }
    await net.waitForSubscribers(RELAYS, 20_000);
    const owned = services.map((s) => s.ownedRelays().length);
    expect(owned.every((n) => n > 0)).toBe(true);
    await streamFor(net, 3500);
    for (const s of services.splice(0)) await s.stop();

    const truth = net.truth();
    const flood = net.urls[0] ?? '';
    const honest = net.urls.slice(1);
    expect(truth.relays[flood]).toMatchObject({ valid: 2000, corroborated: 0 });
    for (const u of honest) expect(truth.relays[u]?.corroborated, u).toBeGreaterThan(0);

    const db = contexts[0]?.dbs.reader;
    if (!db) throw new Error('no context');
    expect(await dbFigures(db)).toEqual(truthFigures(truth, net.urls));
    const corroborated = await db
      .selectFrom('events_aggregated as e')
      .innerJoin('relays as r', 'r.id', 'e.relay_id')
      .select(['r.url', sql<number>`sum(e.duplicates + e.first_corroborated)::int`.as('n')])
      .groupBy('r.url')
      .execute();
    expect(Object.fromEntries(corroborated.map((r) => [r.url, r.n]))).toEqual(
      Object.fromEntries(net.urls.map((u) => [u, truth.relays[u]?.corroborated])),
    );

    const snapshot = await schedulerSnapshot(world);
    const rows = new Map(snapshot.relays.relays.map((r) => [r.url, r]));
    for (const u of net.urls) expect(rows.get(u)?.corroborated, u).toBe(truth.relays[u]?.corroborated);
    // By events the flood would lead by far.
    const floodEvents = rows.get(flood)?.events ?? 0;
    expect(floodEvents).toBeGreaterThan(Math.max(...honest.map((u) => rows.get(u)?.events ?? 0)));
    const top = snapshot.top_relays.most_active;
    expect(top).toHaveLength(10);
    expect(top.map((r) => r.url)).not.toContain(flood);
    const expected = honest
      .map((u) => ({ url: u, n: truth.relays[u]?.corroborated ?? 0, events: truth.relays[u]?.valid ?? 0 }))
      .sort((a, b) => b.n - a.n || b.events - a.events || (a.url < b.url ? -1 : 1))
      .slice(0, 10);
    expect(top.map((r) => [r.url, r.corroborated])).toEqual(expected.map((e) => [e.url, e.n]));
  });
});
