import { startThirdPartyRelay, type ThirdPartyRelay } from '@nostr-info/relay-sim';
import type { Service } from '@nostr-info/shared';
import { sql } from 'kysely';
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import { makeInvoice } from './helpers/bolt11.js';
import { createWorld, type TestWorld, waitForOnline } from './helpers/context.js';
import { waitFor } from './helpers/test-relay.js';

// A relay this project does not control (@nostr-relay/core from npm): events published to it
// reach the collector and are counted exactly; republishing and re-delivery do not double count.

describe('collector against a real third-party relay', () => {
  let world: TestWorld;
  let relay: ThirdPartyRelay;
  let service: Service | undefined;

  beforeAll(async () => {
    world = await createWorld('thirdparty');
    relay = await startThirdPartyRelay();
  });
  afterAll(async () => {
    await service?.stop();
    await relay?.stop();
    await world?.drop();
  });

  it('counts what the relay accepted', async () => {
    const ctx = await world.context({ RELAYS: relay.url });
    service = await startCollector(ctx, { nip11: false });
    await waitForOnline(ctx);
    const now = Math.floor(Date.now() / 1000) + 1;
    const keys = [generateSecretKey(), generateSecretKey(), generateSecretKey()];
    const events = [
      finalizeEvent(
        { kind: 1, created_at: now, tags: [['client', 'Coracle']], content: 'a' },
        keys[0] as Uint8Array,
      ),
      finalizeEvent({ kind: 1, created_at: now, tags: [], content: 'b' }, keys[1] as Uint8Array),
      finalizeEvent({ kind: 7, created_at: now, tags: [], content: '+' }, keys[2] as Uint8Array),
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
        keys[2] as Uint8Array,
      ),
    ];
    for (const e of events) expect((await relay.publish(e)).accepted).toBe(true);
    // Publishing the same event again is a duplicate: nothing new may be counted.
    await relay.publish(events[0] as (typeof events)[number]);
    // A tampered copy (id no longer matches): whether or not the relay stores and forwards it,
    // it must never reach a statistic, and if delivered it is charged to the relay as invalid.
    const forged = { ...(events[1] as (typeof events)[number]), id: 'f'.repeat(64) };
    const answer = await relay.publish(forged);
    // A "duplicate" answer means the relay matched it to a stored event and forwarded nothing.
    const forgedAccepted = answer.accepted && !answer.message.startsWith('duplicate');

    await waitFor(
      async () => {
        const r = await ctx.dbs.reader
          .selectFrom('events_aggregated')
          .select(sql<number>`coalesce(sum(events), 0)::int`.as('n'))
          .executeTakeFirst();
        return (r?.n ?? 0) >= 4;
      },
      10_000,
      'events counted',
    );
    await service.stop();
    service = undefined;
    const byKind = await ctx.dbs.reader
      .selectFrom('network_events_daily')
      .select(['kind', 'events'])
      .orderBy('kind')
      .execute();
    expect(byKind).toEqual([
      { kind: 1, events: 2 },
      { kind: 7, events: 1 },
      { kind: 9735, events: 1 },
    ]);
    expect(await ctx.dbs.reader.selectFrom('zaps_daily').select(['zaps', 'sats']).execute()).toEqual([
      { zaps: 1, sats: 21 },
    ]);
    expect(await ctx.dbs.reader.selectFrom('clients').select(['client', 'events']).execute()).toEqual([
      { client: 'coracle', events: 1 },
    ]);
    const perRelay = await ctx.dbs.reader
      .selectFrom('events_aggregated')
      .select([sql<number>`sum(events)::int`.as('valid'), sql<number>`sum(invalid)::int`.as('invalid')])
      .executeTakeFirst();
    expect(perRelay).toEqual({ valid: 4, invalid: forgedAccepted ? 1 : 0 });
    const users = await ctx.dbs.reader.selectFrom('user_activity_daily').selectAll().executeTakeFirst();
    expect(users).toMatchObject({ active_users: 3, new_users: 3 });
  });
});
