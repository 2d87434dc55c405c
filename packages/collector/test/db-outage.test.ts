import { createDatabases } from '@nostr-info/shared/db';
import { testServices } from '@nostr-info/shared/testing';
import { sql } from 'kysely';
import type { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { dbFigures, truthFigures } from './helpers/compare.js';
import { createWorld, type TestWorld } from './helpers/context.js';
import { outageScene, refuseConnections } from './helpers/db-outage.js';

// The requirement: PostgreSQL down for 30 s loses nothing (and counts nothing twice).

/** How long the database refuses connections: the product target. */
const OUTAGE_MS = 30_000;

/** Sum of a metric's values whose labels match `labels`. */
async function metricSum(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))
    .reduce((sum, v) => sum + v.value, 0);
}

/** True when a fresh connection to `url` is accepted. */
async function accepts(url: string): Promise<boolean> {
  const probe = await createDatabases({ databaseUrl: url, poolMax: 1 });
  try {
    await sql`select 1`.execute(probe.writer);
    return true;
  } catch {
    return false;
  } finally {
    await probe.close().catch(() => undefined);
  }
}

describe('durability through a 30 s database outage', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  it('keeps every count and writes it once the database is back', async () => {
    const world: TestWorld = await createWorld('outage30');
    cleanups.push(() => world.drop());
    const admin = await createDatabases({ databaseUrl: testServices().TEST_PG_ADMIN_URL, poolMax: 1 });
    cleanups.push(() => admin.close());
    const { net, ctx, service } = await outageScene(world, 'collector-outage-30s', cleanups);
    const flushes = (result: string) =>
      metricSum(ctx.registry, 'nostr_info_collector_flushes_total', { result });
    const received = () => metricSum(ctx.registry, 'nostr_info_collector_events_received_total');

    net.resume();
    // The outage starts on a collector that is writing.
    await expect
      .poll(() => flushes('success'), { timeout: 15_000, message: 'a first successful flush' })
      .toBeGreaterThan(0);

    const restore = await refuseConnections(admin, world.db.name);
    cleanups.push(restore); // also when the test fails half-way
    expect(await accepts(world.db.url)).toBe(false);
    const failuresAtStart = await flushes('failure');
    const receivedAtStart = await received();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    // Down the whole time: still refusing, still failing to flush, still collecting.
    expect(await accepts(world.db.url)).toBe(false);
    expect(await flushes('failure')).toBeGreaterThan(failuresAtStart);
    expect(await received()).toBeGreaterThan(receivedAtStart);
    const successesBefore = await flushes('success');
    await restore();

    // It recovers on its own (a periodic flush succeeds), not only through the final flush.
    await expect
      .poll(() => flushes('success'), { timeout: 30_000, message: 'a flush after the outage' })
      .toBeGreaterThan(successesBefore);
    net.pause();
    await net.drain();
    await new Promise((r) => setTimeout(r, 500));
    await service.stop();

    const check = await world.context({ RELAYS: net.urls[0] ?? '' });
    expect(await dbFigures(check.dbs.reader)).toEqual(truthFigures(net.truth(), net.urls));
  }, 120_000);
});
