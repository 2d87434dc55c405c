import { computeEventId, isEventShape, type NostrEvent } from '../protocol/event.js';
import type { Verifier } from '../verify/schnorr.js';

/** The kinds backfill reads: profiles, follow lists, relay lists. */
export const BACKFILL_KINDS: readonly number[] = [0, 3, 10002];

/** Why a backfilled copy was refused (the `reason` label of its counter). */
export type BackfillRejectReason = 'shape' | 'id' | 'sig' | 'kind' | 'window';

/** The time window a page asked for, in unix seconds (both ends inclusive, as NIP-01 filters are). */
export interface PageWindow {
  since: number;
  until: number;
}

/**
 * Checks a copy a relay sent for a history page, cheap checks first: shape, kind and window (a
 * relay that ignores the filter), then the id hash, then the signature. Only a copy that passes
 * every check is written; the others are counted by reason and never reach a figure.
 */
export function checkBackfillEvent(
  value: unknown,
  window: PageWindow,
  verifier: Verifier,
): { event: NostrEvent } | { reason: BackfillRejectReason } {
  if (!isEventShape(value)) return { reason: 'shape' };
  if (!BACKFILL_KINDS.includes(value.kind)) return { reason: 'kind' };
  if (value.created_at < window.since || value.created_at > window.until) return { reason: 'window' };
  if (computeEventId(value) !== value.id) return { reason: 'id' };
  const ok = verifier.verify(
    Buffer.from(value.id, 'hex'),
    Buffer.from(value.pubkey, 'hex'),
    Buffer.from(value.sig, 'hex'),
  );
  return ok ? { event: value } : { reason: 'sig' };
}
