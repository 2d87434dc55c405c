import type { Service } from '@nostr-info/shared/lifecycle';
import { LIVE_CHANNEL } from '@nostr-info/shared/stats';
import { sql } from 'kysely';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { LiveMessage } from '../src/observe/live.js';
import { makeInvoice } from './helpers/bolt11.js';
import { type CollectorContext, createWorld, type TestWorld } from './helpers/context.js';
import { TestRelay } from './helpers/test-relay.js';

// A known set published over three real WebSocket relays, with duplicates across relays,
// invalid ids and signatures, zaps of every multiplier, client tags and republished articles.
// After the collector stops (which flushes), database counts must equal the ground truth exactly.

describe('collector counts equal ground truth', () => {
  let world: TestWorld;
  let relays: TestRelay[];
  let ctx: CollectorContext;
  let service: Service;
  const live: LiveMessage[] = [];
  const keys = Array.from({ length: 4 }, () => generateSecretKey());
  const pubkeys = keys.map((k) => getPublicKey(k));
  // Set once subscribed: relays apply the subscription's `since` to live events too.
  let now = 0;
  let seq = 0;
  const sign = (i: number, kind: number, tags: string[][] = [], content = '', createdAt?: number) =>
    finalizeEvent(
      { kind, created_at: createdAt ?? now, tags, content: content || `e${seq++}` },
      keys[i % keys.length] as Uint8Array,
    );

  beforeAll(async () => {
    world = await createWorld('counts');
    relays = await Promise.all([TestRelay.start(), TestRelay.start(), TestRelay.start()]);
    ctx = await world.context({ RELAYS: relays.map((r) => r.url).join(',') });
    await ctx.cache.subscribe(LIVE_CHANNEL, (message) => live.push(JSON.parse(message) as LiveMessage));
    service = await startCollector(ctx, { nip11: false, liveIntervalMs: 500 });
    await vi.waitFor(
      () =>
        expect(
          relays.map((r) => r.subscribers),
          'subscriptions',
        ).toEqual(relays.map(() => 1)),
      { timeout: 15_000 },
    );
    now = Math.floor(Date.now() / 1000) + 200;
  });

  afterAll(async () => {
    await service?.stop();
    await Promise.all(relays.map((r) => r.close()));
    await world.drop();
  });

  it('counts every copy per relay and every event once network-wide', async () => {
    const [a, b, c] = relays as [TestRelay, TestRelay, TestRelay];
    const delivered = new Map<TestRelay, number>(relays.map((r) => [r, 0]));
    const invalid = new Map<TestRelay, number>(relays.map((r) => [r, 0]));
    const unique = new Map<number, number>();
    const put = (event: ReturnType<typeof sign>, on: TestRelay[]) => {
      for (const r of on) {
        r.publish(event);
        delivered.set(r, (delivered.get(r) ?? 0) + 1);
      }
      unique.set(event.kind, (unique.get(event.kind) ?? 0) + 1);
    };

    // Notes with client tags; some on one relay, some on all three.
    const clientTags = [['client', 'Damus'], ['client', ' damus '], ['client', 'Amethyst'], undefined];
    for (let i = 0; i < 12; i++) {
      const tag = clientTags[i % 4];
      put(sign(i, 1, tag ? [tag] : []), i % 3 === 0 ? [a, b, c] : i % 3 === 1 ? [a, b] : [c]);
    }
    // Invalid copies: a tampered id on A; a bad signature on B arriving BEFORE the valid copy on C.
    const tampered = sign(0, 1);
    a.sendRaw(JSON.stringify(['EVENT', '{sub}', { ...tampered, content: 'changed' }]));
    invalid.set(a, 1);
    const target = sign(1, 1);
    const other = sign(2, 1);
    b.sendRaw(JSON.stringify(['EVENT', '{sub}', { ...target, sig: other.sig }]));
    invalid.set(b, 1);
    await new Promise((r) => setTimeout(r, 300));
    put(target, [c]);
    // Garbage and unknown frames must not disturb anything.
    a.sendRaw('not json at all');
    a.sendRaw('["COUNT","{sub}",{"count":1}]');
    a.sendRaw('["NOTICE","rate-limited: slow down"]');

    // Zaps: every multiplier, one implausible, one undecodable.
    const zapper = pubkeys[3] as string;
    const receiver = pubkeys[2] as string;
    // msats; the n and p ones carry parts of a sat that make a whole one only summed to the msat.
    const zapAmounts: [string, number][] = [
      ['1m', 100_000_000],
      ['21u', 2_100_000],
      ['5005n', 500_500],
      ['15000p', 1_500], // 15000 pico-BTC = 1.5 sats
    ];
    for (const [amount] of zapAmounts) {
      put(
        sign(0, 9735, [
          ['p', receiver],
          ['P', zapper],
          ['bolt11', makeInvoice(amount)],
        ]),
        [a, b],
      );
    }
    put(
      sign(0, 9735, [
        ['p', receiver],
        ['bolt11', makeInvoice('20')],
      ]),
      [a],
    );
    put(
      sign(0, 9735, [
        ['p', receiver],
        ['bolt11', 'lnbc1notaninvoice'],
      ]),
      [b],
    );

    // Articles: (pk0, "post") published twice, (pk0, "other") once, (pk1, "post") once.
    put(sign(0, 30023, [['d', 'post']], 'v1', now - 10), [a, c]);
    put(sign(0, 30023, [['d', 'post']], 'v2', now), [b]);
    put(sign(0, 30023, [['d', 'other']], 'x', now), [a]);
    put(sign(1, 30023, [['d', 'post']], 'y', now), [c]);

    // Profiles: pk0 twice (the newer one must win), pk1 once.
    const oldProfile = sign(0, 0, [], '{"name":"old"}', now - 100);
    const newProfile = sign(0, 0, [], '{"name":"new"}', now);
    put(oldProfile, [a]);
    put(newProfile, [b, c]);
    put(sign(1, 0, [], '{"name":"one"}', now), [a]);

    const expectedCopies = [...delivered.values()].reduce((x, y) => x + y, 0);
    const copies = async () => {
      const row = await ctx.dbs.reader
        .selectFrom('events_aggregated')
        .select(sql<number>`coalesce(sum(events), 0)::int`.as('n'))
        .executeTakeFirst();
      return row?.n ?? 0;
    };
    await expect
      .poll(copies, { timeout: 20_000, message: 'copies flushed' })
      .toBeGreaterThanOrEqual(expectedCopies);
    // The live feed for the API's stream: rates by kind from this replica.
    await expect
      .poll(() => live.some((m) => (m.events_per_second_by_kind['1'] ?? 0) > 0), {
        timeout: 5000,
        message: 'live message',
      })
      .toBe(true);
    expect(live.at(-1)).toMatchObject({ relays_connected: 3, relays_owned: 3, replica: 0 });
    await service.stop();

    const db = ctx.dbs.reader;
    const relayRows = await db
      .selectFrom('events_aggregated as e')
      .innerJoin('relays as r', 'r.id', 'e.relay_id')
      .select([
        'r.url',
        sql<number>`sum(e.events)::int`.as('events'),
        sql<number>`sum(e.invalid)::int`.as('invalid'),
      ])
      .groupBy('r.url')
      .execute();
    for (const r of relays) {
      const row = relayRows.find((x) => x.url === r.url);
      expect(row?.events, `valid copies from ${r.url}`).toBe(delivered.get(r));
      expect(row?.invalid, `invalid copies from ${r.url}`).toBe(invalid.get(r));
    }
    const daily = await db
      .selectFrom('events_aggregated_daily')
      .select(sql<number>`sum(events)::int`.as('n'))
      .executeTakeFirst();
    expect(daily?.n).toBe(expectedCopies);

    const network = await db.selectFrom('network_events_daily').select(['kind', 'events']).execute();
    expect(Object.fromEntries(network.map((r) => [r.kind, r.events]))).toEqual(Object.fromEntries(unique));
    const hourly = await db
      .selectFrom('network_events_hourly')
      .select(sql<number>`sum(events)::int`.as('n'))
      .executeTakeFirst();
    expect(hourly?.n).toBe([...unique.values()].reduce((x, y) => x + y, 0));

    const users = await db.selectFrom('user_activity_daily').selectAll().execute();
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ active_users: 4, new_users: 4 });
    expect((await db.selectFrom('pubkeys').select('pubkey').execute()).length).toBe(4);

    const clients = await db.selectFrom('clients').select(['client', 'events']).orderBy('client').execute();
    expect(clients).toEqual([
      { client: 'amethyst', events: 3 },
      { client: 'damus', events: 6 },
    ]);

    // These receipts carry no zap request, so NIP-57 rejects every one (`no_request`): nothing is
    // summed and nobody becomes a zapper. Honest zaps, to the msat: zap-modes.test.ts.
    expect(await db.selectFrom('zaps_daily').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('zap_rejections_daily').select(['reason', 'receipts']).execute()).toEqual([
      { reason: 'no_request', receipts: 6 },
    ]);
    const sender = await db
      .selectFrom('zap_participants')
      .selectAll()
      .where('role', '=', 'sender')
      .where('pubkey', '=', zapper)
      .executeTakeFirst();
    expect(sender).toBeUndefined();

    const articles = await db.selectFrom('articles').select(['pubkey', 'd_tag', 'versions']).execute();
    expect(articles).toHaveLength(3);
    expect(articles.find((r) => r.pubkey === pubkeys[0] && r.d_tag === 'post')?.versions).toBe(2);

    const profile = await db
      .selectFrom('replaceable_events')
      .selectAll()
      .where('kind', '=', 0)
      .where('pubkey', '=', pubkeys[0] as string)
      .executeTakeFirst();
    expect(profile?.event_id).toBe(newProfile.id);

    const health = await db
      .selectFrom('relay_health_hourly')
      .select([
        sql<number>`sum(connects)::int`.as('connects'),
        sql<number>`sum(observed_ms)::int`.as('observed'),
      ])
      .executeTakeFirst();
    expect(health?.connects).toBe(3);
    expect(health?.observed).toBeGreaterThan(0);
    // Every connect's open latency and every EOSE's latency went into the histograms too.
    const latency = await db
      .selectFrom('relay_latency_hourly')
      .select(['phase', sql<number>`sum(samples)::int`.as('n')])
      .groupBy('phase')
      .orderBy('phase')
      .execute();
    const eoses = await db
      .selectFrom('relay_health_hourly')
      .select(sql<number>`sum(eose_latency_count)::int`.as('n'))
      .executeTakeFirst();
    expect(latency).toEqual([
      { phase: 'eose', n: eoses?.n },
      { phase: 'open', n: 3 },
    ]);
    const statuses = await db.selectFrom('relays').select(['status', 'open_latency_ms']).execute();
    expect(statuses.every((s) => s.open_latency_ms !== null)).toBe(true);
  });
});
