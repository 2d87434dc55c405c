import type { NostrEvent } from '@nostr-info/shared/nostr';
import { bech32 } from '@scure/base';
import { getEventHash } from 'nostr-tools/pure';
import { bolt11Msats } from './bolt11.js';
import { verifyNostrEvent } from './signer.js';

const HEX64 = /^[0-9a-f]{64}$/;

/** What the truth reads from a bolt11 invoice, independently of any decoder library. */
export interface InvoiceFacts {
  /** undefined: not an invoice; null: no amount. */
  msats: bigint | null | undefined;
  /** bech32 network after `ln` (`bc`, `tb`, `tbs`, `bcrt`, `sb`). */
  network: string | undefined;
  paymentHash: string | undefined;
}

/** Amount, network and payment hash (tagged field `p`) of an invoice. */
export function invoiceFacts(invoice: string): InvoiceFacts {
  const msats = bolt11Msats(invoice);
  const lower = invoice.trim().toLowerCase();
  const network = /^ln(bcrt|bc|tbs|tb|sb)/.exec(lower)?.[1];
  let paymentHash: string | undefined;
  if (msats !== undefined) {
    try {
      const { words } = bech32.decode(lower as `${string}1${string}`, false);
      // 7 words of timestamp, then tagged fields (type, 2-word length, data), then a 104-word signature.
      let i = 7;
      while (i + 3 <= words.length - 104) {
        const type = words[i] ?? 0;
        const length = (words[i + 1] ?? 0) * 32 + (words[i + 2] ?? 0);
        if (type === 1 && length === 52) {
          const bytes = bech32.fromWordsUnsafe(words.slice(i + 3, i + 3 + length));
          if (bytes) paymentHash = Buffer.from(bytes.slice(0, 32)).toString('hex');
        }
        i += 3 + length;
      }
    } catch {
      paymentHash = undefined;
    }
  }
  return { msats, network, paymentHash };
}

/** A zap request read by the NIP-57 rules the truth applies. */
export interface RequestFacts {
  pubkey: string;
  p: string;
  e: string | undefined;
  a: string | undefined;
  amount: bigint | undefined;
  anon: boolean;
}

/**
 * The embedded zap request when it is one: kind 9734, id and signature valid, exactly one `p`
 * (a pubkey), at most one `e` (an id), `a` and `amount` (a whole number); else undefined.
 */
export function requestFacts(description: string): RequestFacts | undefined {
  let req: NostrEvent;
  try {
    req = JSON.parse(description) as NostrEvent;
  } catch {
    return undefined;
  }
  if (typeof req !== 'object' || req === null || req.kind !== 9734 || !Array.isArray(req.tags))
    return undefined;
  let hash: string | undefined;
  try {
    hash = getEventHash(req);
  } catch {
    return undefined;
  }
  if (hash !== req.id || !verifyNostrEvent(req)) return undefined;
  const values = (name: string) => req.tags.filter((t) => t[0] === name).map((t) => t[1] ?? '');
  const [p, ...moreP] = values('p');
  const e = values('e');
  const a = values('a');
  const amount = values('amount');
  if (p === undefined || moreP.length > 0 || !HEX64.test(p)) return undefined;
  if (e.length > 1 || a.length > 1 || amount.length > 1) return undefined;
  if (e[0] !== undefined && !HEX64.test(e[0])) return undefined;
  if (amount[0] !== undefined && !/^\d{1,20}$/.test(amount[0])) return undefined;
  return {
    pubkey: req.pubkey,
    p,
    e: e[0],
    a: a[0],
    amount: amount[0] === undefined ? undefined : BigInt(amount[0]),
    anon: req.tags.some((t) => t[0] === 'anon'),
  };
}
