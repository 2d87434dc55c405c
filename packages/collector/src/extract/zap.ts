import { decode } from 'light-bolt11-decoder';
import { type NostrEvent, tagValue } from '../protocol/event.js';

/** Above this a zap is counted as flagged, not summed: no public zap has come close. */
export const MAX_PLAUSIBLE_ZAP_SATS = 100_000_000;

export type ZapReceipt =
  | {
      ok: true;
      /** Whole sats of the amount. */
      sats: number;
      /** Millisatoshis beyond `sats` (0–999). */
      extraMsats: number;
      msats: bigint;
      sender: string | undefined;
      receiver: string | undefined;
    }
  | {
      ok: false;
      problem: 'invalid_bolt11' | 'flagged';
      sender: string | undefined;
      receiver: string | undefined;
    };

const HEX64 = /^[0-9a-f]{64}$/;

function pubkeyOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && HEX64.test(value) ? value : undefined;
}

/** Amount of a bolt11 invoice in millisatoshis (the decoder applies the m/u/n/p multiplier). */
export function bolt11Msats(invoice: string): bigint | undefined {
  try {
    const amount = decode(invoice).sections.find((s) => s.name === 'amount');
    if (!amount || amount.value === undefined || amount.value === null) return undefined;
    return BigInt(amount.value as string);
  } catch {
    return undefined;
  }
}

interface ZapRequest {
  pubkey: string | undefined;
  amountMsats: bigint | undefined;
}

function parseZapRequest(description: string | undefined): ZapRequest | undefined {
  if (!description) return undefined;
  try {
    const request = JSON.parse(description) as { pubkey?: unknown; tags?: unknown };
    let amountMsats: bigint | undefined;
    if (Array.isArray(request.tags)) {
      for (const tag of request.tags) {
        if (
          Array.isArray(tag) &&
          tag[0] === 'amount' &&
          typeof tag[1] === 'string' &&
          /^\d{1,20}$/.test(tag[1])
        ) {
          amountMsats = BigInt(tag[1]);
          break;
        }
      }
    }
    return { pubkey: pubkeyOrUndefined(request.pubkey), amountMsats };
  } catch {
    return undefined;
  }
}

/**
 * Reads a NIP-57 zap receipt (kind 9735): amount from its `bolt11` tag, sender from the `P` tag or
 * the embedded zap request (`description`), receiver from `p`. A receipt whose invoice cannot be
 * read, or that has no amount, is `invalid_bolt11`; one above `MAX_PLAUSIBLE_ZAP_SATS` or that
 * disagrees with the amount its zap request asked for is `flagged`.
 */
export function readZapReceipt(event: NostrEvent): ZapReceipt {
  const request = parseZapRequest(tagValue(event, 'description'));
  const sender = pubkeyOrUndefined(tagValue(event, 'P')) ?? request?.pubkey;
  const receiver = pubkeyOrUndefined(tagValue(event, 'p'));
  const invoice = tagValue(event, 'bolt11');
  const msats = invoice === undefined ? undefined : bolt11Msats(invoice);
  if (msats === undefined) return { ok: false, problem: 'invalid_bolt11', sender, receiver };
  if (msats > BigInt(MAX_PLAUSIBLE_ZAP_SATS) * 1000n)
    return { ok: false, problem: 'flagged', sender, receiver };
  const sats = Number(msats / 1000n);
  if (request?.amountMsats !== undefined && request.amountMsats !== msats) {
    return { ok: false, problem: 'flagged', sender, receiver };
  }
  return { ok: true, sats, extraMsats: Number(msats % 1000n), msats, sender, receiver };
}
