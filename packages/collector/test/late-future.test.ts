import { type RelayMode, type SimNetwork, startSimNetwork } from '@nostr-info/relay-sim';
import { eventsSchema, overviewSchema } from '@nostr-info/shared/stats';
import { sql } from 'kysely';
import type { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import { watchedFor } from './helpers/checkpoint.js';
import { dbFigures, truthFigures } from './helpers/compare.js';
import { createWorld, type TestWorld } from './helpers/context.js';
import { schedulerSnapshot } from './helpers/snapshot.js';
import { streamFor } from './helpers/stream.js';

// Activity is now. Two honest relays take in, as a client re-broadcasting them would, a profile, a
// note and an article created three days ago, and serve them to the collector, whose subscriptions
// reach that far back (a resume after a three-day gap: they are inside its `since`). A third relay
// serves a profile, a note and an article dated a day ahead. Each is credited to the relays that
// delivered it and claimed once network-wide, counted as `late` / `future` by kind, and is never a
// new event of the hour, a user, or an article update; the latest profile still moves.

const MODES: RelayMode[] = ['rebroadcast', 'rebroadcast', 'future', 'normal'];
const DAY = 86_400;

async function metricSum(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))
    .reduce((s, v) => s + v.value, 0);
}

describe('late and future events', () => {
  let world: TestWorld;
  let net: SimNetwork;
  let service: CollectorService | undefined;

  beforeAll(async () => {
    world = await createWorld('latefuture');
    net = await startSimNetwork({
      relays: MODES.length,
      modes: MODES,
      seed: 'collector-late-future',
      rate: 100,
      corpusSize: 600,
      copies: 2,
      autoStart: false,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await net?.stop();
    await world?.drop();
  });

  it('are credited and claimed once, counted apart by kind, and never activity', async () => {
    // The network-wide dedup remembers a week, so a resume may reach three days back.
    const ctx = await world.context({ RELAYS: net.urls.join(','), DEDUP_TTL_SECONDS: String(7 * DAY) });
    const now = Math.floor(Date.now() / 1000);
    await watchedFor(ctx.cache, net.urls, 4 * DAY, now - 3 * DAY - 2 * 3600);
    service = await startCollector(ctx, { nip11: false });
    await net.waitForSubscribers(net.urls.length, 15_000);
    await streamFor(net, 2500);
    await service.stop();
    service = undefined;

    const truth = net.truth();
    const three = { total: 3, byKind: { 0: 1, 1: 1, 30023: 1 } };
    expect(truth.late).toEqual(three);
    expect(truth.future).toEqual(three);

    // Every figure exact: relays credited; events, users, clients, articles without them; the
    // late and future profiles still the latest of their keys.
    expect(await dbFigures(ctx.dbs.reader)).toEqual(truthFigures(truth, net.urls));
    const untimely = await ctx.dbs.reader
      .selectFrom('untimely_events_daily')
      .select(['kind', sql<number>`sum(late)::int`.as('late'), sql<number>`sum(future)::int`.as('future')])
      .groupBy('kind')
      .orderBy('kind')
      .execute();
    expect(untimely).toEqual([
      { kind: 0, late: 1, future: 1 },
      { kind: 1, late: 1, future: 1 },
      { kind: 30023, late: 1, future: 1 },
    ]);
    const metric = 'nostr_info_collector_events_untimely_total';
    expect(await metricSum(ctx.registry, metric, { timing: 'late' })).toBe(3);
    expect(await metricSum(ctx.registry, metric, { timing: 'future' })).toBe(3);

    const snapshot = await schedulerSnapshot(world);
    eventsSchema.parse(snapshot.events);
    overviewSchema.shape.events.parse(snapshot.overview.events);
    const byKind = { '0': 1, '1': 1, '30023': 1 };
    expect(snapshot.events.late).toEqual({ total: 3, by_kind: byKind });
    expect(snapshot.events.future).toEqual({ total: 3, by_kind: byKind });
    expect(snapshot.overview.events).toMatchObject({ unique: truth.unique, late: 3, future: 3 });
    expect(snapshot.overview.users.active).toBe(truth.userPubkeys);
    expect(snapshot.overview.articles).toBe(truth.articles);
  });
});
