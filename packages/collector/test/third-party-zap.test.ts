import {
  buildZap,
  type LnurlServer,
  lightningProfile,
  startLnurlServer,
  startThirdPartyRelay,
  type ThirdPartyRelay,
} from '@nostr-info/relay-sim';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import { createWorld, type TestWorld } from './helpers/context.js';
import { zapFigures } from './helpers/zap-figures.js';

// An honest NIP-57 zap through a relay this project does not control (@nostr-relay/core from
// npm): the recipient's profile names a Lightning address on a local LNURL-pay server, whose
// provider key signs the receipt. It is counted, to the millisatoshi; a receipt the relay
// accepts just as well but signed by anyone else is not.

describe('an honest zap through a real third-party relay', () => {
  let world: TestWorld;
  let relay: ThirdPartyRelay;
  let lnurl: LnurlServer;
  let service: CollectorService | undefined;

  beforeAll(async () => {
    world = await createWorld('thirdparty_zap');
    relay = await startThirdPartyRelay();
    lnurl = await startLnurlServer();
  });
  afterAll(async () => {
    await service?.stop();
    await relay?.stop();
    await lnurl?.stop();
    await world?.drop();
  });

  it('is counted, and a forged twin is not', async () => {
    const ctx = await world.context({ RELAYS: relay.url });
    service = await startCollector(ctx, { nip11: false });
    await expect.poll(() => service?.ownedRelays().length, { timeout: 10_000 }).toBe(1);
    // Past the subscription's `since`, which the relay applies to live events.
    await new Promise((r) => setTimeout(r, 1100));

    const recipient = generateSecretKey();
    const provider = generateSecretKey();
    const sender = generateSecretKey();
    lnurl.set('alice', { nostrPubkey: getPublicKey(provider) });
    const now = Math.floor(Date.now() / 1000);
    const profile = lightningProfile(recipient, { lud16: lnurl.address('alice') }, now);
    const honest = buildZap({
      sender,
      receiver: getPublicKey(recipient),
      provider,
      msats: 21_500n,
      createdAt: now,
    });
    const forged = buildZap({
      sender,
      receiver: getPublicKey(recipient),
      provider: generateSecretKey(),
      msats: 100_000_000n,
      multiplier: 'm',
      createdAt: now,
    });
    for (const event of [profile, honest.receipt, forged.receipt])
      expect((await relay.publish(event)).accepted).toBe(true);

    await expect
      .poll(
        () => {
          const s = service?.stats();
          return !!s && s.framesHandled >= 3 && s.inFlight === 0 && s.zapsPending === 0 && s.bufferKeys === 0;
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await service.stop();
    service = undefined;
    expect(await zapFigures(ctx.dbs.reader)).toEqual({
      accepted: 1,
      acceptedMsats: 21_500,
      senders: 1,
      receivers: 1,
      rejected: { zapper_mismatch: 1 },
      unverified: { count: 0, msats: 0 },
    });
    expect(lnurl.requests.get('alice')).toBe(1);
  });

  it('by default never fetches an LNURL document over http or from loopback: the zap is unverified', async () => {
    const ctx = await world.context({ RELAYS: relay.url, LNURL_ALLOW_INSECURE: 'false' });
    await ctx.dbs.writer.deleteFrom('zap_rejections_daily').execute();
    service = await startCollector(ctx, { nip11: false, zaps: { profileWaitMs: 500, recheckMs: 100 } });
    await expect.poll(() => service?.ownedRelays().length, { timeout: 10_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    const recipient = generateSecretKey();
    const provider = generateSecretKey();
    lnurl.set('bob', { nostrPubkey: getPublicKey(provider) });
    const now = Math.floor(Date.now() / 1000);
    const profile = lightningProfile(recipient, { lud16: lnurl.address('bob') }, now);
    const zap = buildZap({
      sender: generateSecretKey(),
      receiver: getPublicKey(recipient),
      provider,
      msats: 21_000n,
      createdAt: now,
    });
    for (const event of [profile, zap.receipt]) expect((await relay.publish(event)).accepted).toBe(true);
    await expect
      .poll(() => service?.stats().framesHandled ?? 0, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(2);
    await service.stop();
    service = undefined;
    expect((await zapFigures(ctx.dbs.reader)).unverified).toEqual({ count: 1, msats: 21_000 });
    expect(lnurl.requests.get('bob')).toBeUndefined();
  });
});
