import type { NostrEvent } from '@nostr-info/shared/nostr';
import type { EventTally } from './tally.js';
import { zapFacts } from './truth-derive.js';
import type { ZapTruth, ZapVerdictTruth } from './truth-types.js';

/** What the invoices of the receipts say (the NIP-57 verdicts come from `ZapVerdictTally`). */
type ZapAmountTruth = Omit<ZapTruth, keyof ZapVerdictTruth>;

/** The plausible range of zap amounts, in sats (see `TruthOptions`). */
export interface ZapRange {
  minPlausibleSats: number;
  maxPlausibleSats: number;
}

/**
 * Zap receipts (kind 9735): amounts from the bolt11, summed only inside the plausible range and
 * flagged outside it; distinct senders and receivers over every receipt.
 */
export class ZapTally implements EventTally<ZapAmountTruth> {
  private readonly zaps: ZapAmountTruth = {
    receipts: 0,
    withAmount: 0,
    noAmount: 0,
    invalidBolt11: 0,
    plausible: 0,
    plausibleSats: 0,
    plausibleMsats: 0,
    flagged: 0,
    byMultiplier: {},
    senders: 0,
    receivers: 0,
  };
  private readonly senders = new Set<string>();
  private readonly receivers = new Set<string>();
  private readonly minMsats: bigint;
  private readonly maxMsats: bigint;

  constructor({ minPlausibleSats, maxPlausibleSats }: ZapRange) {
    this.minMsats = BigInt(minPlausibleSats) * 1000n;
    this.maxMsats = BigInt(maxPlausibleSats) * 1000n;
  }

  add(ev: NostrEvent): void {
    if (ev.kind !== 9735) return;
    const zaps = this.zaps;
    zaps.receipts++;
    const z = zapFacts(ev);
    if (z.sender) this.senders.add(z.sender);
    if (z.receiver) this.receivers.add(z.receiver);
    if (z.msats === undefined) zaps.invalidBolt11++;
    else if (z.msats === null) zaps.noAmount++;
    else {
      zaps.withAmount++;
      const m = z.multiplier ?? 'btc';
      zaps.byMultiplier[m] = (zaps.byMultiplier[m] ?? 0) + 1;
      if (z.msats > this.maxMsats || z.msats < this.minMsats) zaps.flagged++;
      else {
        zaps.plausible++;
        zaps.plausibleMsats += Number(z.msats);
      }
    }
  }

  result(): ZapAmountTruth {
    return {
      ...this.zaps,
      plausibleSats: Math.floor(this.zaps.plausibleMsats / 1000),
      senders: this.senders.size,
      receivers: this.receivers.size,
    };
  }
}
