import { startThirdPartyRelay, type ThirdPartyRelay } from '@nostr-info/relay-sim';
import type { Service } from '@nostr-info/shared/lifecycle';
import { sql } from 'kysely';
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import { watchedFor } from './helpers/checkpoint.js';
import { type CollectorContext, createWorld, type TestWorld } from './helpers/context.js';

// A real third-party relay (@nostr-relay/core) answers a REQ without `limit` with its newest 100
// stored events. Events it received while no collector watched it — more than 100, spread over
// the look-back window — are all counted once a collector resumes from the checkpoint: the
// replay is paged back with `until`, and nothing is counted twice.

const GAP_EVENTS = 260;

describe('a resumed replay longer than the relay returns for one REQ', () => {
  let world: TestWorld;
  let relay: ThirdPartyRelay;
  let service: Service | undefined;

  beforeAll(async () => {
    world = await createWorld('paging');
    relay = await startThirdPartyRelay();
  });
  afterAll(async () => {
    await service?.stop();
    await relay?.stop();
    await world?.drop();
  });

  const counted = async (ctx: CollectorContext) => {
    const r = await ctx.dbs.reader
      .selectFrom('network_events_daily')
      .select(sql<number>`coalesce(sum(events), 0)::int`.as('n'))
      .executeTakeFirst();
    return r?.n ?? 0;
  };

  it('pages the replay back to the window and counts every event once', async () => {
    const key = generateSecretKey();
    const now = Math.floor(Date.now() / 1000);
    const ctx = await world.context({ RELAYS: relay.url, RESUME_LOOKBACK_SECONDS: '900' });
    // Watched for the last 15 minutes already: the resume window reaches that far back.
    await watchedFor(ctx.cache, [relay.url], 900);
    service = await startCollector(ctx, { nip11: false });
    const status = async () =>
      (await ctx.dbs.reader.selectFrom('relays').select('status').executeTakeFirst())?.status;
    await expect.poll(status, { timeout: 10_000, message: 'the relay to be online' }).toBe('online');
    // Live events are matched against the subscription's `since` (the time it was sent).
    const first = finalizeEvent(
      { kind: 1, created_at: Math.floor(Date.now() / 1000) + 1, tags: [], content: 'before the gap' },
      key,
    );
    expect((await relay.publish(first)).accepted).toBe(true);
    await expect.poll(() => counted(ctx), { timeout: 10_000, message: 'first event counted' }).toBe(1);
    // Stopped: the resume point goes to the cache for whoever watches the relay next.
    await service.stop();
    service = undefined;

    // While nobody watches: events spread over the last ~9 minutes, several per second.
    for (let i = 0; i < GAP_EVENTS; i++) {
      const e = finalizeEvent(
        { kind: i % 3 === 0 ? 7 : 1, created_at: now - Math.floor(i * 2), tags: [], content: `gap ${i}` },
        key,
      );
      expect((await relay.publish(e)).accepted).toBe(true);
    }

    const ctx2 = await world.context({ RELAYS: relay.url, RESUME_LOOKBACK_SECONDS: '900' });
    service = await startCollector(ctx2, { nip11: false });
    await expect
      .poll(() => counted(ctx2), { timeout: 20_000, message: 'gap events counted' })
      .toBeGreaterThanOrEqual(1 + GAP_EVENTS);
    // Let any further page or duplicate arrive before the final count.
    await new Promise((r) => setTimeout(r, 1500));
    await service.stop();
    service = undefined;
    expect(await counted(ctx2)).toBe(1 + GAP_EVENTS);
    const perRelay = await ctx2.dbs.reader
      .selectFrom('events_aggregated')
      .select(sql<number>`sum(events)::int`.as('valid'))
      .executeTakeFirst();
    expect(perRelay?.valid).toBe(1 + GAP_EVENTS);
    const pages = await ctx2.registry.getSingleMetric('nostr_info_collector_replay_pages_total')?.get();
    expect(pages?.values.reduce((n, v) => n + v.value, 0)).toBeGreaterThanOrEqual(2);
  });
});
