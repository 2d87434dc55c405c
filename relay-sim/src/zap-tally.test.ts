import { describe, expect, it } from 'vitest';
import { makeEvent, makeZapReceipt } from './fixtures.js';
import { deriveSecretKey } from './rng.js';
import { ZapTally } from './zap-tally.js';

const sender = (i: number): Uint8Array => deriveSecretKey('zap-tally', 'sender', i);

describe('ZapTally', () => {
  it('sums amounts inside the plausible range and flags the others', () => {
    const tally = new ZapTally({ minPlausibleSats: 10, maxPlausibleSats: 1000 });
    tally.add(makeZapReceipt({ multiplier: 'u', sats: 100, sender: sender(0) }));
    tally.add(makeZapReceipt({ multiplier: 'n', msats: 21_600, sender: sender(0) }));
    tally.add(makeZapReceipt({ multiplier: 'p', msats: 1_500, sender: sender(1) }));
    tally.add(makeZapReceipt({ multiplier: 'm', sats: 5000, sender: sender(1) }));
    expect(tally.result()).toMatchObject({
      receipts: 4,
      withAmount: 4,
      plausible: 2,
      plausibleMsats: 121_600,
      plausibleSats: 121,
      flagged: 2,
      byMultiplier: { u: 1, n: 1, p: 1, m: 1 },
    });
  });

  it('counts receipts without an amount or with an undecodable bolt11 apart, and ignores other kinds', () => {
    const tally = new ZapTally({ minPlausibleSats: 0, maxPlausibleSats: 100_000_000 });
    tally.add(makeZapReceipt({ multiplier: 'none' }));
    tally.add(makeZapReceipt({ brokenBolt11: true }));
    tally.add(makeEvent({ kind: 1, content: 'not a zap' }));
    expect(tally.result()).toMatchObject({
      receipts: 2,
      withAmount: 0,
      noAmount: 1,
      invalidBolt11: 1,
      plausible: 0,
    });
  });

  it('finds the sender in the P tag or else in the zap request, and the receiver in p', () => {
    const tally = new ZapTally({ minPlausibleSats: 0, maxPlausibleSats: 100_000_000 });
    tally.add(makeZapReceipt({ sender: sender(0), receiver: 'a'.repeat(64), embedRequest: false }));
    tally.add(makeZapReceipt({ sender: sender(1), receiver: 'a'.repeat(64), senderTag: false }));
    tally.add(makeZapReceipt({ sender: sender(1), receiver: 'b'.repeat(64) }));
    tally.add(makeZapReceipt({ sender: sender(2), senderTag: false, embedRequest: false }));
    expect(tally.result()).toMatchObject({ receipts: 4, senders: 2, receivers: 3 });
  });
});
