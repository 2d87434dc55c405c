import { startThirdPartyRelay, type ThirdPartyRelay } from '@nostr-info/relay-sim';
import { sql } from 'kysely';
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import { createWorld, type TestWorld } from './helpers/context.js';

// The same rules on relays this project does not control (@nostr-relay/core from npm): one key's
// fifty relay-list versions count as one author, the authors of honest lists each once; events
// both relays deliver are corroborated for both, events from fresh keys that only one relay
// carries for neither.

const EVIL = 'wss://evil.example';
const HONEST = 'wss://honest.example';
const SECOND = 'wss://second.example';

describe('discovery authors and corroboration on real third-party relays', () => {
  let world: TestWorld;
  let one: ThirdPartyRelay;
  let two: ThirdPartyRelay;
  let service: CollectorService | undefined;

  beforeAll(async () => {
    world = await createWorld('discovery_thirdparty');
    one = await startThirdPartyRelay();
    two = await startThirdPartyRelay();
  });
  afterAll(async () => {
    await service?.stop();
    await one?.stop();
    await two?.stop();
    await world?.drop();
  });

  it('counts authors once and credits only what another relay also carries', async () => {
    const ctx = await world.context({
      RELAYS: `${one.url},${two.url}`,
      DISCOVERY_ENABLED: 'true',
      DISCOVERY_MAX_RELAYS: '0',
    });
    service = await startCollector(ctx, { nip11: false });
    const online = async () =>
      (
        await ctx.dbs.reader
          .selectFrom('relays')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('status', '=', 'online')
          .executeTakeFirstOrThrow()
      ).n;
    await expect.poll(online, { timeout: 10_000, message: 'both relays online' }).toBe(2);

    // At or after the `since` of the collector's subscriptions, which the relays apply live too.
    const at = Math.floor(Date.now() / 1000) + 2;
    const [spammer, b, c, d] = Array.from({ length: 4 }, () => generateSecretKey()) as Uint8Array[];
    const list = (key: Uint8Array, createdAt: number, urls: string[]) =>
      finalizeEvent(
        { kind: 10002, created_at: createdAt, tags: urls.map((u) => ['r', u]), content: '' },
        key,
      );
    let published = 0;
    const publish = async (relay: ThirdPartyRelay, event: ReturnType<typeof finalizeEvent>) => {
      expect((await relay.publish(event)).accepted).toBe(true);
      published += 1;
    };
    for (let v = 0; v < 50; v++) await publish(one, list(spammer as Uint8Array, at + v, [EVIL]));
    await publish(one, list(b as Uint8Array, at, [HONEST]));
    await publish(
      one,
      finalizeEvent(
        {
          kind: 3,
          created_at: at,
          tags: [],
          content: JSON.stringify({ [HONEST]: { read: true }, [SECOND]: { read: true } }),
        },
        b as Uint8Array,
      ),
    );
    await publish(two, list(c as Uint8Array, at, [HONEST]));
    const onBoth = [
      list(d as Uint8Array, at, [HONEST]),
      finalizeEvent({ kind: 1, created_at: at, tags: [], content: 'carried by both' }, d as Uint8Array),
    ];
    for (const e of onBoth) {
      await publish(one, e);
      await publish(two, e);
    }
    // Twenty notes from twenty fresh keys, on the second relay only.
    for (let i = 0; i < 20; i++)
      await publish(
        two,
        finalizeEvent({ kind: 1, created_at: at, tags: [], content: `fresh ${i}` }, generateSecretKey()),
      );
    await expect
      .poll(() => service?.stats().framesHandled ?? 0, { timeout: 10_000, message: 'every frame handled' })
      .toBe(published);
    await expect.poll(() => service?.stats().inFlight, { timeout: 5000 }).toBe(0);
    await service.stop();
    service = undefined;

    const db = ctx.dbs.reader;
    const discovered = Object.fromEntries(
      (
        await db
          .selectFrom('relays')
          .select(['url', 'discovery_authors', 'discovery_count'])
          .where('source', '=', 'discovered')
          .execute()
      ).map((r) => [r.url, [r.discovery_authors, r.discovery_count]]),
    );
    expect(discovered).toEqual({
      [EVIL]: [1, 50],
      // b (relay list and contact list: once), c, d.
      [HONEST]: [3, 4],
      [SECOND]: [1, 1],
    });
    const corroborated = Object.fromEntries(
      (
        await db
          .selectFrom('events_aggregated as e')
          .innerJoin('relays as r', 'r.id', 'e.relay_id')
          .select([
            'r.url',
            sql<number>`sum(e.events)::int`.as('events'),
            sql<number>`sum(e.duplicates + e.first_corroborated)::int`.as('corroborated'),
          ])
          .groupBy('r.url')
          .execute()
      ).map((r) => [r.url, [r.events, r.corroborated]]),
    );
    expect(corroborated).toEqual({ [one.url]: [54, 2], [two.url]: [23, 2] });
  });
});
