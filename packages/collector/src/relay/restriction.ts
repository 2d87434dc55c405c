import type { ReasonClass } from '../protocol/classify.js';

/** Why a relay that is up refuses to serve: it wants an authenticated or a paying client. */
export type Restriction = 'auth_required' | 'payment_required';

/**
 * Words by which a `restricted:` message names payment ("restricted: not a paid member", "pay an
 * invoice to read"). A `restricted:` message without them (a whitelist, a ban) is no restriction
 * of this kind: such a relay is simply not serving.
 */
const PAYMENT_WORDS = /\b(pay|paid|paying|payment|payments|invoice|invoices|lightning|sats)\b/i;

/**
 * The restriction a CLOSED or NOTICE message states, from its class (`classifyReason`) and text:
 * `auth-required:` (NIP-01, NIP-42), a `payment-required:` prefix some relays use, or a
 * `restricted:` message that names payment. Undefined for anything else.
 */
export function restrictionOf(cls: ReasonClass, text: string): Restriction | undefined {
  if (cls === 'auth-required') return 'auth_required';
  const trimmed = text.trim();
  if (/^payment[- ]required\b/i.test(trimmed)) return 'payment_required';
  if (cls === 'restricted' && PAYMENT_WORDS.test(trimmed)) return 'payment_required';
  return undefined;
}
