import { buildZapScenario, type SimNetwork, startSimNetwork, ZAP_MODES } from '@nostr-info/relay-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import { type CollectorContext, createWorld, type TestWorld } from './helpers/context.js';
import { zapDelta, zapFigures } from './helpers/zap-figures.js';

// Every zap mode of the simulated network, one after the other through one collector (real
// PostgreSQL and Redis, the network's LNURL-pay server on loopback): the figures each mode adds
// equal the ones worked out by hand from how it is built, and the network's own truth.
// Before NIP-57 checks, a forged 1,000,000-sat receipt, testnet invoices and a republished paid
// invoice were all summed.

describe('zap receipts per NIP-57 on the simulated network', () => {
  let world: TestWorld;
  let net: SimNetwork;
  let ctx: CollectorContext;
  let service: CollectorService | undefined;

  /** Rejections the collector's metric counted so far, by reason. */
  const rejectedMetric = async (): Promise<Record<string, number>> => {
    const metric = ctx.registry.getSingleMetric('nostr_info_collector_zaps_rejected_total');
    const values = (await metric?.get())?.values ?? [];
    return Object.fromEntries(values.map((v) => [String(v.labels.reason), v.value]));
  };
  /** Waits until the collector has read `frames` frames, settled every check and flushed. */
  const settled = (frames: number) =>
    expect
      .poll(
        () => {
          const s = service?.stats();
          return (
            !!s &&
            s.framesHandled >= frames &&
            s.inFlight === 0 &&
            s.zapsPending === 0 &&
            s.bufferKeys === 0 &&
            s.flushing === false
          );
        },
        { timeout: 15_000, interval: 50, message: `${frames} frames settled and flushed` },
      )
      .toBe(true);

  beforeAll(async () => {
    world = await createWorld('zaps');
    net = await startSimNetwork({ relays: 3, corpusSize: 10, autoStart: false, seed: 'collector-zaps' });
    ctx = await world.context({ RELAYS: net.urls.join(',') });
    service = await startCollector(ctx, { nip11: false, zaps: { profileWaitMs: 1500, recheckMs: 200 } });
    await net.waitForSubscribers(3, 15_000);
  });

  afterAll(async () => {
    await service?.stop();
    await net?.stop();
    await world?.drop();
  });

  for (const mode of ZAP_MODES) {
    it(`${mode}: adds exactly the worked-out figures`, async () => {
      const before = await zapFigures(ctx.dbs.reader);
      const metricBefore = await rejectedMetric();
      const truthBefore = net.truth().zaps;
      const frames = service?.stats().framesHandled ?? 0;
      const scenario = buildZapScenario(mode, {
        lnurl: net.lnurl,
        seed: 'collector',
        now: Math.floor(Date.now() / 1000),
      });
      // Every event on two of the three relays: one copy counts, the other is a duplicate.
      const copies = net.publish(scenario.events, [0, 2]);
      expect(copies).toBe(2 * scenario.events.length);
      await settled(frames + copies);

      const got = zapDelta(await zapFigures(ctx.dbs.reader), before);
      expect(got).toEqual(scenario.expected);
      // The simulator's own NIP-57 judgement agrees.
      const truth = net.truth().zaps;
      expect(truth.accepted - truthBefore.accepted).toBe(scenario.expected.accepted);
      expect(truth.unverified.count - truthBefore.unverified.count).toBe(scenario.expected.unverified.count);
      // The metric counts what was written, by reason.
      const metric = await rejectedMetric();
      const metricDelta = Object.fromEntries(
        Object.entries(metric)
          .map(([reason, n]) => [reason, n - (metricBefore[reason] ?? 0)] as const)
          .filter(([, n]) => n > 0),
      );
      expect(metricDelta).toEqual(scenario.expected.rejected);
    });
  }

  it('never counts a receipt signer as a user', async () => {
    const scenario = buildZapScenario('honest', { lnurl: net.lnurl, seed: 'collector' });
    const signers = [...new Set(scenario.events.filter((e) => e.kind === 9735).map((e) => e.pubkey))];
    const users = await ctx.dbs.reader
      .selectFrom('pubkeys')
      .select('pubkey')
      .where('pubkey', 'in', signers)
      .execute();
    expect(users).toEqual([]);
    const profiled = await ctx.dbs.reader.selectFrom('lightning_addresses').select('pubkey').execute();
    expect(profiled.length).toBeGreaterThan(0);
  });
});
