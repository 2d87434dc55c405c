import { buildZap, lightningProfile, type SimNetwork, startSimNetwork } from '@nostr-info/relay-sim';
import { sql } from 'kysely';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import { createWorld, type TestWorld } from './helpers/context.js';
import { zapFigures } from './helpers/zap-figures.js';

// One paid invoice, republished under new event ids to relays that different collector replicas
// watch (PostgreSQL + Redis), counts once: the payment hash is claimed in the flush transaction.
// A replica that lost its memory and its cache (a crash, a Redis wipe) still counts it once:
// the claim lives in PostgreSQL. The replica that did not see the recipient's profile finds it
// where the other replica stored it.

const RELAYS = 12;

describe('zap payments across replicas', () => {
  let world: TestWorld;
  let net: SimNetwork;
  const services: (CollectorService | undefined)[] = [];

  const start = async (ordinal: number, prefix?: string) => {
    const ctx = await world.context({
      RELAYS: net.urls.join(','),
      COLLECTOR_ORDINAL: String(ordinal),
      COLLECTOR_REPLICAS: '2',
      ...(prefix ? { REDIS_KEY_PREFIX: prefix } : {}),
    });
    const service = await startCollector(ctx, {
      nip11: false,
      zaps: { profileWaitMs: 10_000, recheckMs: 100 },
    });
    services[ordinal] = service;
    return { ctx, service };
  };
  const settled = () =>
    expect
      .poll(
        () =>
          services.every((service) => {
            const s = service?.stats();
            return (
              !!s && s.inFlight === 0 && s.zapsPending === 0 && s.bufferKeys === 0 && s.flushing === false
            );
          }),
        { timeout: 15_000, interval: 50, message: 'both replicas settled and flushed' },
      )
      .toBe(true);
  const handled = (service: CollectorService | undefined, frames: number) =>
    expect
      .poll(() => service?.stats().framesHandled ?? 0, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(frames);

  beforeAll(async () => {
    world = await createWorld('zap_payments');
    net = await startSimNetwork({
      relays: RELAYS,
      corpusSize: 10,
      autoStart: false,
      seed: 'collector-zap-payments',
    });
  });
  afterAll(async () => {
    for (const s of services) await s?.stop();
    await net?.stop();
    await world?.drop();
  });

  it('counts one paid invoice once, whatever ids, replicas, restarts and cache wipes', async () => {
    const a = await start(0);
    const b = await start(1);
    await net.waitForSubscribers(RELAYS, 15_000);
    await expect
      .poll(() => a.service.ownedRelays().length + b.service.ownedRelays().length, { timeout: 10_000 })
      .toBe(RELAYS);
    const relayOf = (service: CollectorService) => {
      const owned = service.ownedRelays();
      const index = net.urls.findIndex((u) => owned.includes(u));
      expect(index, 'each replica holds a relay').toBeGreaterThanOrEqual(0);
      return index;
    };
    const [ra, rb] = [relayOf(a.service), relayOf(b.service)];

    const recipient = generateSecretKey();
    const provider = generateSecretKey();
    net.lnurl.set('replicas', { nostrPubkey: getPublicKey(provider) });
    const now = Math.floor(Date.now() / 1000);
    const paid = (i: number) =>
      buildZap({
        sender: new Uint8Array(32).fill(7),
        receiver: getPublicKey(recipient),
        provider,
        msats: 21_000_000n,
        paymentHash: 'ab'.repeat(32),
        createdAt: now,
        extraTags: i === 0 ? [] : [['alt', `republished ${i}`]],
      }).receipt;
    // The profile reaches replica A only; the same payment reaches both replicas at once.
    net.publish([lightningProfile(recipient, { lud16: net.lnurl.address('replicas') }, now)], [ra]);
    net.publish([paid(0)], [ra]);
    net.publish([paid(1)], [rb]);
    await handled(a.service, 2);
    await handled(b.service, 1);
    await settled();
    expect(await zapFigures(a.ctx.dbs.reader)).toMatchObject({
      accepted: 1,
      acceptedMsats: 21_000_000,
      rejected: { duplicate_payment: 1 },
    });

    // Replica B crashes and comes back with an empty cache: the first receipt, delivered again,
    // is new to the network dedup, and so is another republication; the payment is not.
    await b.service.stop();
    const fresh = await start(1, `${world.prefix}wiped:`);
    await net.waitForSubscribers(RELAYS, 15_000);
    net.publish([paid(0), paid(2)], [rb]);
    await handled(fresh.service, 2);
    await settled();
    // Every receipt counted network-wide (the replayed first one again: the cache was wiped; and
    // the second one again if the relay replayed it to the new subscription) but one is a duplicate.
    const receipts = await a.ctx.dbs.reader
      .selectFrom('network_events_daily')
      .select(sql<number>`sum(events)::int`.as('n'))
      .where('kind', '=', 9735)
      .executeTakeFirstOrThrow();
    expect(receipts.n).toBeGreaterThanOrEqual(4);
    expect(await zapFigures(a.ctx.dbs.reader)).toEqual({
      accepted: 1,
      acceptedMsats: 21_000_000,
      senders: 1,
      receivers: 1,
      rejected: { duplicate_payment: receipts.n - 1 },
      unverified: { count: 0, msats: 0 },
    });
    const payments = await a.ctx.dbs.reader
      .selectFrom('zap_payments')
      .select(['payment_hash', 'verdict'])
      .execute();
    expect(payments).toEqual([{ payment_hash: 'ab'.repeat(32), verdict: 'accepted' }]);
  });
});
