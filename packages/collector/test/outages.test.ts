import { type SimNetwork, startSimNetwork } from '@nostr-info/relay-sim';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import { createWorld, type TestWorld } from './helpers/context.js';

// On the simulated network, with the collector's default outage grace and merge window: one relay
// is taken off the network (sockets cut, connects refused) for 90 s and brought back; another
// flaps (down 6 s, up 4 s, five times) at the same time; two stay up. The stored outages and the
// availability are checked against the simulator's record of when each relay was down.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const KILLED = 0;
const FLAPPING = 1;
const TOLERANCE_MS = 5000;
const FAST_REDIAL_MS = 500;

describe('relay outages on the simulated network', () => {
  let world: TestWorld;
  let net: SimNetwork;
  let service: CollectorService | undefined;

  beforeAll(async () => {
    world = await createWorld('outages');
    net = await startSimNetwork({
      relays: 4,
      seed: 'collector-outages',
      rate: 20,
      corpusSize: 3000,
      copies: 2,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await net?.stop();
    await world?.drop();
  });

  it('records one outage per relay taken down, with its true start, end and cause', async () => {
    const ctx = await world.context({ RELAYS: net.urls.join(','), FLUSH_INTERVAL_MS: '1000' });
    service = await startCollector(ctx, {
      // Redials within 0.5 s in the first minutes (4 s by default), so the serving time lost to
      // the redial after each return stays well under the 1 % the availability is checked to.
      connection: { openTimeoutMs: 2000, backoffInitialMs: 250, fastRedialMs: FAST_REDIAL_MS },
    });
    await net.waitForSubscribers(4, 15_000);
    await sleep(3000);

    await net.takeDown(KILLED);
    const flapping = net.flap(FLAPPING, { downMs: 6000, upMs: 4000, cycles: 5 });
    await sleep(90_000);
    await net.bringUp(KILLED);
    await flapping;
    await sleep(8000);
    await service.stop();
    service = undefined;

    const db = ctx.dbs.reader;
    const idOf = async (i: number) =>
      (
        await db
          .selectFrom('relays')
          .select('id')
          .where('url', '=', net.urls[i] ?? '')
          .executeTakeFirstOrThrow()
      ).id;
    const outages = await db
      .selectFrom('relay_outages')
      .selectAll()
      .orderBy('relay_id')
      .orderBy('started_at')
      .execute();

    const killedTruth = net.downPeriods(KILLED);
    expect(killedTruth).toHaveLength(1);
    const killedId = await idOf(KILLED);
    const flappingId = await idOf(FLAPPING);
    const ofKilled = outages.filter((o) => o.relay_id === killedId);
    expect(ofKilled).toHaveLength(1);
    const [k] = ofKilled;
    const [kTruth] = killedTruth;
    expect(Math.abs((k?.started_at.getTime() ?? 0) - (kTruth?.downAt ?? 0))).toBeLessThanOrEqual(
      TOLERANCE_MS,
    );
    expect(Math.abs((k?.ended_at?.getTime() ?? 0) - (kTruth?.upAt ?? 0))).toBeLessThanOrEqual(TOLERANCE_MS);
    // Sockets cut, then connects refused until it came back: what kept it away was TCP.
    expect(k).toMatchObject({ cause: 'tcp', detail: 'ECONNREFUSED' });

    const flapTruth = net.downPeriods(FLAPPING);
    expect(flapTruth).toHaveLength(5);
    const ofFlapping = outages.filter((o) => o.relay_id === flappingId);
    expect(ofFlapping).toHaveLength(1);
    const [f] = ofFlapping;
    expect(Math.abs((f?.started_at.getTime() ?? 0) - (flapTruth[0]?.downAt ?? 0))).toBeLessThanOrEqual(
      TOLERANCE_MS,
    );
    expect(Math.abs((f?.ended_at?.getTime() ?? 0) - (flapTruth.at(-1)?.upAt ?? 0))).toBeLessThanOrEqual(
      TOLERANCE_MS,
    );
    // Counted in the metrics as confirmed, none still ongoing.
    const confirmed = (await ctx.registry.getSingleMetric('nostr_info_collector_relay_outages_total')?.get())
      ?.values;
    expect(confirmed?.reduce((sum, v) => sum + v.value, 0)).toBe(2);
    expect(confirmed?.find((v) => v.labels.cause === 'tcp')?.value).toBeGreaterThanOrEqual(1);
    const ongoing = await ctx.registry.getSingleMetric('nostr_info_collector_relays_in_outage')?.get();
    expect(ongoing?.values[0]?.value).toBe(0);
    // The relays that stayed up had none.
    expect(outages.filter((o) => o.relay_id !== killedId && o.relay_id !== flappingId)).toEqual([]);

    // Availability over the test (serving over observed time) against the simulator's truth: the
    // time each relay was down, over the time the collector watched it.
    const health = await db
      .selectFrom('relay_health_5m')
      .select([
        'relay_id',
        sql<number>`sum(connected_ms)::float8`.as('serving'),
        sql<number>`sum(observed_ms - restricted_ms)::float8`.as('observed'),
      ])
      .groupBy('relay_id')
      .execute();
    for (const [i, url] of net.urls.entries()) {
      const id = await idOf(i);
      const row = health.find((h) => h.relay_id === id);
      const observed = row?.observed ?? 0;
      expect(observed).toBeGreaterThan(100_000);
      const measured = (100 * (row?.serving ?? 0)) / observed;
      const downMs = net.downPeriods(i).reduce((sum, p) => sum + ((p.upAt ?? Date.now()) - p.downAt), 0);
      const truth = 100 * (1 - downMs / observed);
      // Each return to serving costs up to one redial wait and the resumed REQ's answer: the
      // flapping relay's five returns are allowed that on top of the 1 %.
      const returns = net.downPeriods(i).length;
      const allowance = i === FLAPPING ? (100 * returns * FAST_REDIAL_MS) / observed : 0;
      expect(
        Math.abs(measured - truth),
        `${url}: ${measured.toFixed(2)} % vs ${truth.toFixed(2)} % (allowance ${allowance.toFixed(2)})`,
      ).toBeLessThan(1 + allowance);
    }
  }, 240_000);
});
