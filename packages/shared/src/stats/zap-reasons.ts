/**
 * Why a zap receipt (kind 9735) was not counted, in the order the checks run: a receipt is
 * charged to the first check it fails (see docs/methodology.md, "Zaps").
 */
export const ZAP_REJECT_REASONS = [
  'no_request',
  'bad_request',
  'recipient_mismatch',
  'implausible',
  'not_mainnet',
  'amount_mismatch',
  'zapper_mismatch',
  'unverified',
  'duplicate_payment',
] as const;

/** One reason a zap receipt was not counted. */
export type ZapRejectReason = (typeof ZAP_REJECT_REASONS)[number];

/** The sender of every anonymous zap (NIP-57 `anon` tag): one sender, not a fresh key per zap. */
export const ANONYMOUS_ZAP_SENDER = 'anonymous';
