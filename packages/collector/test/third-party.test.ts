import { startThirdPartyRelay, type ThirdPartyRelay } from '@nostr-info/relay-sim';
import { sql } from 'kysely';
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import { makeInvoice } from './helpers/bolt11.js';
import { relayCopies } from './helpers/compare.js';
import { createWorld, type TestWorld } from './helpers/context.js';
import { startThirdPartyRelayWithStore } from './helpers/third-party-store.js';

// A relay this project does not control (@nostr-relay/core from npm): events published to it
// reach the collector and are counted exactly; republishing and re-delivery do not double count.
// Its validator refuses bad events over the socket, so the bad copies it must serve are written
// straight into its repository: they are charged to it as invalid and never reach a statistic,
// and a forged copy does not cost the valid copy of the same id that another relay delivers.

describe('collector against a real third-party relay', () => {
  let world: TestWorld;
  let relay: ThirdPartyRelay;
  let store: (event: ReturnType<typeof finalizeEvent>) => Promise<void>;
  let other: ThirdPartyRelay;
  let service: CollectorService | undefined;

  beforeAll(async () => {
    world = await createWorld('thirdparty');
    ({ relay, store } = await startThirdPartyRelayWithStore());
    other = await startThirdPartyRelay();
  });
  afterAll(async () => {
    await service?.stop();
    await relay?.stop();
    await other?.stop();
    await world?.drop();
  });

  it('counts what the relay accepted and charges it for the bad copies it serves', async () => {
    // A little ahead: copies stored before the collector subscribes must still be at or after the
    // `since` of its first REQ (the time it subscribes), or the relay would not serve them.
    const now = Math.floor(Date.now() / 1000) + 30;
    const keys = Array.from({ length: 6 }, () => generateSecretKey());
    const key = (i: number) => keys[i] as Uint8Array;
    const events = [
      finalizeEvent({ kind: 1, created_at: now, tags: [['client', 'Coracle']], content: 'a' }, key(0)),
      finalizeEvent({ kind: 1, created_at: now, tags: [], content: 'b' }, key(1)),
      finalizeEvent({ kind: 7, created_at: now, tags: [], content: '+' }, key(2)),
      finalizeEvent(
        {
          kind: 9735,
          created_at: now,
          tags: [
            ['bolt11', makeInvoice('210n')],
            ['p', '2'.repeat(64)],
          ],
          content: '',
        },
        key(2),
      ),
    ];
    // Delivered validly by the other relay only.
    const shared = finalizeEvent(
      { kind: 1, created_at: now, tags: [['client', 'Damus']], content: 'the real note' },
      key(3),
    );
    // Bad id: content changed after signing (new author, client tag: visible if ever counted).
    const signed = finalizeEvent(
      { kind: 1, created_at: now, tags: [['client', 'Forged']], content: 'c' },
      key(4),
    );
    const badId = { ...signed, content: 'c, altered after signing' };
    // Good id, bad signature: a valid Schnorr signature, but of another event (a 5,000 sat zap).
    const zap = finalizeEvent(
      {
        kind: 9735,
        created_at: now,
        tags: [
          ['bolt11', makeInvoice('50u')],
          ['p', '3'.repeat(64)],
        ],
        content: '',
      },
      key(5),
    );
    const badSig = { ...zap, sig: signed.sig };
    // Forged copy of `shared`: same id (and sig), different content and client tag.
    const forged = { ...shared, content: 'a forged note', tags: [['client', 'Forged']] };
    // The relay's own validator refuses such copies over the socket…
    for (const [name, bad] of Object.entries({ badId, badSig, forged }))
      expect((await relay.publish(bad)).accepted, `relay accepted ${name}`).toBe(false);
    // …so they go straight into its repository, to be served on the collector's first REQ.
    for (const bad of [badId, badSig, forged]) await store(bad);

    const ctx = await world.context({ RELAYS: `${relay.url},${other.url}` });
    service = await startCollector(ctx, { nip11: false });
    const perRelay = async () =>
      Object.fromEntries(
        (await relayCopies(ctx.dbs.reader)).map((r) => [r.url, { valid: r.valid, invalid: r.invalid }]),
      );
    // Waits on what the collector has read and settled, not on what it counted, so a collector
    // that counts wrongly reaches the exact comparisons below.
    const handled = (frames: number) =>
      expect
        .poll(
          () => {
            const stats = service?.stats();
            return !!stats && stats.framesHandled >= frames && stats.inFlight === 0;
          },
          { timeout: 10_000, message: `${frames} EVENT frames handled` },
        )
        .toBe(true);
    const online = async () =>
      (
        await ctx.dbs.reader
          .selectFrom('relays')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('status', '=', 'online')
          .executeTakeFirstOrThrow()
      ).n;
    await expect.poll(online, { timeout: 10_000, message: 'both relays online' }).toBe(2);
    // The three stored bad copies, the forged one included, are handled before the valid copy
    // of the forged id is even published: it must not be lost to the forgery that came first.
    await handled(3);

    for (const e of events) expect((await relay.publish(e)).accepted).toBe(true);
    // Publishing the same event again is a duplicate: nothing new may be counted.
    await relay.publish(events[0] as (typeof events)[number]);
    expect((await other.publish(shared)).accepted).toBe(true);
    await handled(3 + events.length + 1);
    await service.stop();
    service = undefined;

    // Exactly: three bad copies against the relay that served them, none against the other, and
    // the valid copy of the forged id still credited to the relay that delivered it.
    expect(await perRelay()).toEqual({
      [relay.url]: { valid: 4, invalid: 3 },
      [other.url]: { valid: 1, invalid: 0 },
    });
    const invalidByReason = (
      await ctx.registry.getSingleMetric('nostr_info_collector_events_invalid_total')?.get()
    )?.values
      .filter((v) => v.value > 0)
      .map((v) => ({ ...v.labels, n: v.value }));
    expect(invalidByReason).toEqual(
      expect.arrayContaining([
        { relay: relay.url, reason: 'id', n: 2 },
        { relay: relay.url, reason: 'sig', n: 1 },
      ]),
    );
    expect(invalidByReason).toHaveLength(2);
    // Statistics hold the five valid events only: no bad copy's kind, author, client or zap.
    const byKind = await ctx.dbs.reader
      .selectFrom('network_events_daily')
      .select(['kind', 'events'])
      .orderBy('kind')
      .execute();
    expect(byKind).toEqual([
      { kind: 1, events: 3 },
      { kind: 7, events: 1 },
      { kind: 9735, events: 1 },
    ]);
    // The valid receipt has no zap request: NIP-57 rejects it, nothing is summed
    // (third-party-zap.test.ts sends an honest zap through this relay).
    expect(await ctx.dbs.reader.selectFrom('zaps_daily').select(['zaps', 'sats']).execute()).toEqual([]);
    expect(
      await ctx.dbs.reader.selectFrom('zap_rejections_daily').select(['reason', 'receipts']).execute(),
    ).toEqual([{ reason: 'no_request', receipts: 1 }]);
    expect(
      await ctx.dbs.reader.selectFrom('clients').select(['client', 'events']).orderBy('client').execute(),
    ).toEqual([
      { client: 'coracle', events: 1 },
      { client: 'damus', events: 1 },
    ]);
    const users = await ctx.dbs.reader.selectFrom('user_activity_daily').selectAll().executeTakeFirst();
    expect(users).toMatchObject({ active_users: 4, new_users: 4 });
  });
});
