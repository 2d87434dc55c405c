import { ANONYMOUS_ZAP_SENDER, type ZapRejectReason } from '@nostr-info/shared/stats';
import { type NostrEvent, tagValue } from '../protocol/event.js';
import { readInvoice } from './zap-invoice.js';
import { parseZapRequest, type ZapRequest } from './zap-request.js';

export { bolt11Msats } from './zap-invoice.js';

/** Above this a zap is `implausible`, never summed: no public zap has come close. */
export const MAX_PLAUSIBLE_ZAP_SATS = 100_000_000;

/**
 * What a zap receipt (kind 9735) says, checked as far as it can be without cryptography or the
 * network. `reason` is the first check it failed; when it is not `no_request` / `bad_request`,
 * `request` is set and its signature must be checked first (a bad one makes it `bad_request`).
 */
export interface ZapReading {
  reason: ZapRejectReason | undefined;
  /** The embedded zap request, form checked; its signature still to verify. */
  request: ZapRequest | undefined;
  /** The receipt's `p`: who was zapped. */
  receiver: string | undefined;
  /** The request's pubkey, or `anonymous` for an `anon` request. */
  sender: string | undefined;
  /** The invoice amount when readable and at most `MAX_PLAUSIBLE_ZAP_SATS`. */
  msats: bigint | undefined;
  paymentHash: string | undefined;
}

const HEX64 = /^[0-9a-f]{64}$/;
const MAX_MSATS = BigInt(MAX_PLAUSIBLE_ZAP_SATS) * 1000n;

/**
 * Reads a receipt and runs the NIP-57 appendix F checks that need neither a signature nor the
 * network, in order: a zap request in `description` (`no_request`), well-formed (`bad_request`),
 * for the receipt's `p` and, when it names them, its `e` / `a` (`recipient_mismatch`); a readable
 * invoice with an amount and payment hash (`implausible`) on mainnet (`not_mainnet`) for the amount
 * the request asked (`amount_mismatch`), at most 1 BTC (`implausible`).
 */
export function readZapReceipt(event: NostrEvent): ZapReading {
  const reading: ZapReading = {
    reason: undefined,
    request: undefined,
    receiver: undefined,
    sender: undefined,
    msats: undefined,
    paymentHash: undefined,
  };
  const description = tagValue(event, 'description');
  if (!description) return { ...reading, reason: 'no_request' };
  const request = parseZapRequest(description);
  if (!request) return { ...reading, reason: 'bad_request' };
  reading.request = request;
  reading.sender = request.anonymous ? ANONYMOUS_ZAP_SENDER : request.event.pubkey;
  const receiver = tagValue(event, 'p');
  reading.receiver = receiver !== undefined && HEX64.test(receiver) ? receiver : undefined;
  if (
    reading.receiver !== request.p ||
    (request.e !== undefined && tagValue(event, 'e') !== request.e) ||
    (request.a !== undefined && tagValue(event, 'a') !== request.a)
  ) {
    return { ...reading, reason: 'recipient_mismatch' };
  }
  const bolt11 = tagValue(event, 'bolt11');
  const invoice = bolt11 === undefined ? undefined : readInvoice(bolt11);
  if (!invoice || invoice.msats === undefined || invoice.paymentHash === undefined) {
    return { ...reading, reason: 'implausible' };
  }
  if (invoice.network !== 'bc') return { ...reading, reason: 'not_mainnet' };
  if (invoice.msats <= MAX_MSATS) reading.msats = invoice.msats;
  if (request.amountMsats !== undefined && request.amountMsats !== invoice.msats) {
    return { ...reading, reason: 'amount_mismatch' };
  }
  if (invoice.msats > MAX_MSATS) return { ...reading, reason: 'implausible' };
  reading.paymentHash = invoice.paymentHash;
  return reading;
}

/** Whole sats and the millisatoshis beyond them (0–999) of an amount. */
export function satsOf(msats: bigint | undefined): { sats: number; extraMsats: number } {
  if (msats === undefined) return { sats: 0, extraMsats: 0 };
  return { sats: Number(msats / 1000n), extraMsats: Number(msats % 1000n) };
}
