import type { NostrEvent } from '@nostr-info/shared/nostr';
import { ANONYMOUS_ZAP_SENDER, ZAP_REJECT_REASONS, type ZapRejectReason } from '@nostr-info/shared/stats';
import type { LnurlAnswer } from './lnurl-server.js';
import type { EventTally } from './tally.js';
import type { ZapVerdictTruth } from './truth-types.js';
import { invoiceFacts, requestFacts } from './zap-facts.js';

/** The provider answer for a profile's Lightning address (the network's LNURL server). */
export type ProviderLookup = (address: { lud16: string | null; lud06: string | null }) => LnurlAnswer;

const MAX_MSATS = 100_000_000n * 1000n;

interface Profile {
  id: string;
  createdAt: number;
  lud16: string | null;
  lud06: string | null;
}

interface Candidate {
  verdict: 'accepted' | 'unverified';
  msats: bigint;
  sender: string;
  receiver: string;
}

const text = (v: unknown, max: number): string | null => {
  if (typeof v !== 'string') return null;
  const t = v.trim().toLowerCase();
  return t.length > 0 && t.length <= max ? t : null;
};

/**
 * Zap receipts judged by NIP-57 (appendix F) as the collector must, in the same order, each
 * rejected receipt under the first check it fails: no zap request; a request that is not a
 * valid, signed kind 9734 with one `p`; a request for another `p` / `e` / `a`; no readable
 * amount or payment hash; not mainnet; an amount other than the request's; over 1 BTC; a signer
 * that is not the provider key of the recipient's newest profile (`zapper_mismatch`), or no key
 * to learn (`unverified`: no profile, no address, provider down). Receipts that pass count once
 * per payment hash; the rest of a payment's receipts are `duplicate_payment`.
 *
 * A recipient's profile counts when one was delivered at all: a collector checks its `unverified`
 * receipts again when the profile turns up (the truth is exact once it has). A payment counts once:
 * accepted if any of its receipts passes, else unverified.
 */
export class ZapVerdictTally implements EventTally<ZapVerdictTruth> {
  private readonly receipts: NostrEvent[] = [];
  private readonly profiles = new Map<string, Profile>();

  constructor(private readonly provider: ProviderLookup) {}

  add(ev: NostrEvent): void {
    if (ev.kind === 9735) this.receipts.push(ev);
    else if (ev.kind === 0) {
      const current = this.profiles.get(ev.pubkey);
      const newer =
        !current ||
        ev.created_at > current.createdAt ||
        (ev.created_at === current.createdAt && ev.id < current.id);
      if (!newer) return;
      let body: Record<string, unknown> = {};
      try {
        const parsed = JSON.parse(ev.content) as unknown;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
          body = parsed as Record<string, unknown>;
      } catch {
        body = {};
      }
      this.profiles.set(ev.pubkey, {
        id: ev.id,
        createdAt: ev.created_at,
        lud16: text(body.lud16, 320),
        lud06: text(body.lud06, 2000),
      });
    }
  }

  result(): ZapVerdictTruth {
    const rejected = Object.fromEntries(ZAP_REJECT_REASONS.map((r) => [r, 0])) as Record<
      ZapRejectReason,
      number
    >;
    const byPayment = new Map<string, Candidate[]>();
    for (const ev of this.receipts) {
      const outcome = this.judge(ev);
      if (typeof outcome === 'string') rejected[outcome]++;
      else {
        const list = byPayment.get(outcome.paymentHash) ?? [];
        list.push(outcome);
        byPayment.set(outcome.paymentHash, list);
      }
    }
    let accepted = 0;
    let acceptedMsats = 0n;
    let unverified = 0;
    let unverifiedMsats = 0n;
    const senders = new Set<string>();
    const receivers = new Set<string>();
    for (const list of byPayment.values()) {
      const winner = list.find((c) => c.verdict === 'accepted') ?? list[0];
      if (!winner) continue;
      rejected.duplicate_payment += list.length - 1;
      if (winner.verdict === 'accepted') {
        accepted++;
        acceptedMsats += winner.msats;
        senders.add(winner.sender);
        receivers.add(winner.receiver);
      } else {
        unverified++;
        unverifiedMsats += winner.msats;
      }
    }
    rejected.unverified = unverified;
    return {
      accepted,
      acceptedMsats: Number(acceptedMsats),
      acceptedSats: Number(acceptedMsats / 1000n),
      acceptedSenders: senders.size,
      acceptedReceivers: receivers.size,
      rejected,
      unverified: {
        count: unverified,
        msats: Number(unverifiedMsats),
        sats: Number(unverifiedMsats / 1000n),
      },
    };
  }

  private judge(ev: NostrEvent): ZapRejectReason | (Candidate & { paymentHash: string }) {
    const tag = (name: string) => ev.tags.find((t) => t[0] === name)?.[1];
    const description = tag('description');
    if (!description) return 'no_request';
    const req = requestFacts(description);
    if (!req) return 'bad_request';
    const receiver = tag('p');
    if (
      receiver !== req.p ||
      (req.e !== undefined && tag('e') !== req.e) ||
      (req.a !== undefined && tag('a') !== req.a)
    ) {
      return 'recipient_mismatch';
    }
    const bolt11 = tag('bolt11');
    const invoice = bolt11 === undefined ? undefined : invoiceFacts(bolt11);
    if (!invoice || typeof invoice.msats !== 'bigint' || !invoice.paymentHash) return 'implausible';
    if (invoice.network !== 'bc') return 'not_mainnet';
    if (req.amount !== undefined && req.amount !== invoice.msats) return 'amount_mismatch';
    if (invoice.msats > MAX_MSATS) return 'implausible';
    const profile = this.profiles.get(receiver);
    const answer: LnurlAnswer =
      profile && (profile.lud16 || profile.lud06) ? this.provider(profile) : { kind: 'down' };
    if (answer.kind === 'no_nostr' || (answer.kind === 'key' && answer.pubkey !== ev.pubkey)) {
      return 'zapper_mismatch';
    }
    return {
      verdict: answer.kind === 'key' ? 'accepted' : 'unverified',
      msats: invoice.msats,
      sender: req.anon ? ANONYMOUS_ZAP_SENDER : req.pubkey,
      receiver,
      paymentHash: invoice.paymentHash,
    };
  }
}
