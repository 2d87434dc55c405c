import { startSimNetwork } from '@nostr-info/relay-sim';
import { createDatabases } from '@nostr-info/shared/db';
import { freePort, testServices } from '@nostr-info/shared/testing';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { startCollectorChild } from './helpers/collector-child.js';
import { dbFigures, truthFigures } from './helpers/compare.js';
import { createWorld, type TestWorld } from './helpers/context.js';
import { outageScene, refuseConnections } from './helpers/db-outage.js';

// Nothing is lost when PostgreSQL is unreachable for a while, nor on SIGTERM.

/**
 * How long the database refuses connections here: this case stops the collector soon after the
 * outage, so the final flush carries the backlog; the 30 s target is `db-outage.test.ts`.
 */
const OUTAGE_MS = 8000;

/** Makes the test database refuse connections for `ms`, then restores it. */
async function databaseOutage(name: string, ms: number): Promise<void> {
  const admin = await createDatabases({ databaseUrl: testServices().TEST_PG_ADMIN_URL, poolMax: 1 });
  try {
    const restore = await refuseConnections(admin, name);
    await new Promise((r) => setTimeout(r, ms));
    await restore();
  } finally {
    await admin.close();
  }
}

describe('durability', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  it('keeps every count through a database outage', async () => {
    const world: TestWorld = await createWorld('outage');
    cleanups.push(() => world.drop());
    const { net, ctx, service } = await outageScene(world, 'collector-outage', cleanups);
    net.resume();
    await new Promise((r) => setTimeout(r, 1000));
    await databaseOutage(world.db.name, OUTAGE_MS);
    await new Promise((r) => setTimeout(r, 1500));
    net.pause();
    await net.drain();
    await new Promise((r) => setTimeout(r, 500));
    await service.stop();

    const failures = (
      await ctx.registry.getSingleMetric('nostr_info_collector_flushes_total')?.get()
    )?.values.find((v) => v.labels.result === 'failure');
    expect(failures?.value ?? 0).toBeGreaterThan(0);
    const check = await world.context({ RELAYS: net.urls[0] ?? '' });
    expect(await dbFigures(check.dbs.reader)).toEqual(truthFigures(net.truth(), net.urls));
  });

  it('flushes everything on SIGTERM and serves /metrics meanwhile', async () => {
    const world = await createWorld('sigterm');
    cleanups.push(() => world.drop());
    const net = await startSimNetwork({ relays: 6, seed: 'collector-sigterm', rate: 150, autoStart: false });
    cleanups.push(() => net.stop());
    const port = await freePort();
    const { child, exited } = startCollectorChild(world, {
      RELAYS: net.urls.join(','),
      METRICS_PORT: String(port),
      // Nothing is flushed before the signal: the final flush must write it all.
      FLUSH_INTERVAL_MS: '3600000',
      FLUSH_MAX_EVENTS: '1000000',
    });
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok, {
        timeout: 30_000,
        message: 'collector /health',
      })
      .toBe(true);
    await net.waitForSubscribers(6, 15_000);
    net.resume();
    await new Promise((r) => setTimeout(r, 3000));
    net.pause();
    await net.drain();
    await new Promise((r) => setTimeout(r, 300));

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const name of [
      'nostr_info_collector_relays_owned 6',
      'nostr_info_collector_relays_connected 6',
      'nostr_info_collector_events_received_total{',
      'nostr_info_collector_events_unique_total{',
      'nostr_info_collector_connections{state="open"} 6',
      'nostr_info_collector_buffer_keys',
    ]) {
      expect(metrics).toContain(name);
    }
    const check = await world.context({ RELAYS: net.urls[0] ?? '' });
    const before = await check.dbs.reader
      .selectFrom('network_events_daily')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(before.n).toBe(0);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await dbFigures(check.dbs.reader)).toEqual(truthFigures(net.truth(), net.urls));
  });
});
