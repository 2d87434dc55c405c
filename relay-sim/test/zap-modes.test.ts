import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimNetwork, startSimNetwork } from '../src/sim-network.js';
import { buildZapScenario, ZAP_MODES } from '../src/zap-modes.js';

// Every zap mode's truth, from the network's own NIP-57 judgement, equals the figures worked out
// by hand from how the mode is built; and the honest corpus's receipts are valid NIP-57 zaps.
describe('zap modes', () => {
  let net: SimNetwork;
  beforeAll(async () => {
    net = await startSimNetwork({ relays: 3, corpusSize: 400, autoStart: false, seed: 'zap-modes-test' });
  });
  afterAll(async () => {
    await net?.stop();
  });

  it('gives the honest corpus valid zaps: only implausible amounts are rejected', () => {
    net.emit(400);
    const { zaps } = net.truth({ scope: 'emitted' });
    expect(zaps.receipts).toBeGreaterThan(20);
    expect(zaps.accepted).toBeGreaterThan(0);
    const { implausible, ...others } = zaps.rejected;
    expect(Object.values(others).every((n) => n === 0)).toBe(true);
    expect(zaps.accepted + implausible).toBe(zaps.receipts);
    // Every readable amount up to 1 BTC is accepted, to the millisatoshi.
    expect(zaps.acceptedMsats).toBe(zaps.plausibleMsats);
  });

  for (const mode of ZAP_MODES) {
    it(`${mode}: the truth equals the hand-worked figures`, async () => {
      const other = await startSimNetwork({
        relays: 3,
        corpusSize: 10,
        autoStart: false,
        seed: `zap-${mode}`,
      });
      try {
        const scenario = buildZapScenario(mode, { lnurl: other.lnurl, seed: `t-${mode}` });
        other.publish(scenario.events, [0, 1]);
        const { zaps } = other.truth({ scope: 'emitted' });
        const want = scenario.expected;
        expect({
          accepted: zaps.accepted,
          acceptedMsats: zaps.acceptedMsats,
          senders: zaps.acceptedSenders,
          receivers: zaps.acceptedReceivers,
          rejected: Object.fromEntries(Object.entries(zaps.rejected).filter(([, n]) => n > 0)),
          unverified: { count: zaps.unverified.count, msats: zaps.unverified.msats },
        }).toEqual(want);
      } finally {
        await other.stop();
      }
    });
  }
});
