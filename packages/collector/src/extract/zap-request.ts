import { computeEventId, isEventShape, type NostrEvent } from '../protocol/event.js';

/** A zap request (kind 9734) embedded in a receipt's `description`, well-formed per NIP-57. */
export interface ZapRequest {
  /** The request event; its id matches its content, its signature is still to be checked. */
  event: NostrEvent;
  /** The one `p` tag: who is zapped. */
  p: string;
  /** The zapped event (`e`) or coordinate (`a`), when the request names one. */
  e: string | undefined;
  a: string | undefined;
  /** The `amount` tag (millisatoshis), when present. */
  amountMsats: bigint | undefined;
  /** An `anon` tag: the request is signed by a throwaway key, so it names no sender. */
  anonymous: boolean;
}

const HEX64 = /^[0-9a-f]{64}$/;
const AMOUNT = /^\d{1,20}$/;
/** Largest description read: real zap requests are well under 4 KB. */
const MAX_DESCRIPTION = 64 * 1024;

/**
 * Parses a receipt's `description` as a zap request and checks its form (NIP-57 appendix D): an
 * event of kind 9734 whose id is the hash of its content, exactly one `p` tag (a pubkey), at most
 * one `e` and one `a` tag, and an `amount` (when present) that is a whole number of millisats.
 * Undefined when any of this fails; the signature is checked by the caller (off the main path).
 */
export function parseZapRequest(description: string): ZapRequest | undefined {
  if (description.length > MAX_DESCRIPTION) return undefined;
  let event: unknown;
  try {
    event = JSON.parse(description);
  } catch {
    return undefined;
  }
  if (!isEventShape(event) || event.kind !== 9734 || computeEventId(event) !== event.id) return undefined;
  const p: string[] = [];
  const e: string[] = [];
  const a: string[] = [];
  const amounts: string[] = [];
  let anonymous = false;
  for (const tag of event.tags) {
    const [name, value] = tag;
    if (name === 'p') p.push(value ?? '');
    else if (name === 'e') e.push(value ?? '');
    else if (name === 'a') a.push(value ?? '');
    else if (name === 'amount') amounts.push(value ?? '');
    else if (name === 'anon') anonymous = true;
  }
  const [recipient] = p;
  if (p.length !== 1 || recipient === undefined || !HEX64.test(recipient)) return undefined;
  if (e.length > 1 || a.length > 1 || amounts.length > 1) return undefined;
  if (e[0] !== undefined && !HEX64.test(e[0])) return undefined;
  const [amount] = amounts;
  if (amount !== undefined && !AMOUNT.test(amount)) return undefined;
  return {
    event,
    p: recipient,
    e: e[0],
    a: a[0],
    amountMsats: amount === undefined ? undefined : BigInt(amount),
    anonymous,
  };
}
