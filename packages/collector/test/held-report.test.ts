import { currentRelayStatus, type Service } from '@nostr-info/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import { createWorld, type TestWorld } from './helpers/context.js';
import { freePort } from './helpers/ports.js';
import { TestRelay, waitFor } from './helpers/test-relay.js';

const REPORT_MS = 300;

describe('held relays report', () => {
  let world: TestWorld;
  let relay: TestRelay;
  let service: Service | undefined;

  beforeAll(async () => {
    world = await createWorld('held_report');
    relay = await TestRelay.start();
  });

  afterAll(async () => {
    await service?.stop();
    await relay?.close();
    await world?.drop();
  });

  it('reports every held relay, live or dead, restates its status, and stops with the replica', async () => {
    // Nothing listens on the second relay: its socket fails and stays in backoff.
    const dead = `ws://127.0.0.1:${await freePort()}`;
    const ctx = await world.context({ RELAYS: [relay.url, dead].join(',') });
    const rows = () =>
      ctx.dbs.reader
        .selectFrom('relays')
        .select(['url', 'status', 'watched', 'held_at'])
        .orderBy('url')
        .execute();
    const heldAt = async (url: string) => (await rows()).find((r) => r.url === url)?.held_at?.getTime() ?? 0;

    service = await startCollector(ctx, {
      heldReportMs: REPORT_MS,
      connection: { backoffInitialMs: 5_000, backoffMaxMs: 5_000, openTimeoutMs: 1000 },
    });
    await waitFor(async () => (await rows()).find((r) => r.url === relay.url)?.status === 'online', 10_000);

    // Both are reported again and again: the dead one from backoff, where nothing else is written.
    const first = { live: await heldAt(relay.url), dead: await heldAt(dead) };
    expect(first.dead).toBeGreaterThan(0);
    await waitFor(
      async () => (await heldAt(relay.url)) > first.live && (await heldAt(dead)) > first.dead,
      5 * REPORT_MS,
    );
    const now = new Date();
    const statuses = (await rows()).map((r) => currentRelayStatus(r, now));
    expect(statuses).toHaveLength(2);
    expect(statuses).not.toContain('unknown');

    // A status written over by someone else (a previous holder's late flush) is restated.
    await ctx.dbs.writer
      .updateTable('relays')
      .set({ status: 'offline' })
      .where('url', '=', relay.url)
      .execute();
    await waitFor(
      async () => (await rows()).find((r) => r.url === relay.url)?.status === 'online',
      5 * REPORT_MS,
    );

    await service.stop();
    service = undefined;
    const stoppedAt = await heldAt(relay.url);
    await new Promise((r) => setTimeout(r, 3 * REPORT_MS));
    expect(await heldAt(relay.url)).toBe(stoppedAt);
    expect(await heldAt(dead)).toBeLessThanOrEqual(stoppedAt);
    // As readers will see it once the reports are older than the stale window.
    const later = new Date(stoppedAt + 10 * 60_000);
    expect((await rows()).map((r) => currentRelayStatus(r, later))).toEqual(['unknown', 'unknown']);
  });
});
