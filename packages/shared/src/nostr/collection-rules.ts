/**
 * What the collector asks relays for and when an event's own timestamp is believed: one module, so
 * the collector and the simulated network's ground truth apply the very same rules. Every figure
 * these rules shape is defined in docs/methodology.md.
 */

/**
 * Kinds the collector subscribes to (one REQ filter per relay): profiles, notes, follow lists,
 * deletions (NIP-09), reactions, zap receipts, long-form articles, relay lists, NIP-66 relay
 * reports of other monitors. A copy of any other kind was not asked for (`off_filter`, reason `kind`).
 */
export const COLLECTED_KINDS = [0, 1, 3, 5, 7, 9735, 30023, 10002, 30166] as const;

/** True for a kind in `COLLECTED_KINDS`. */
export function isCollectedKind(kind: number): boolean {
  return COLLECTED_KIND_SET.has(kind);
}
const COLLECTED_KIND_SET: ReadonlySet<number> = new Set(COLLECTED_KINDS);

/** Why a copy is outside the subscription that brought it (checked in this order). */
export const OFF_FILTER_REASONS = ['subscription', 'kind', 'since', 'until'] as const;
export type OffFilterReason = (typeof OFF_FILTER_REASONS)[number];

/**
 * How far (seconds) a copy's created_at may lie outside its subscription's `since`/`until` and
 * still count as asked for. Equal to the default resume look-back (RESUME_LOOKBACK_SECONDS): the
 * collector itself treats events up to 15 minutes older than the last frame as ordinary lateness
 * (clock skew, slow publishing, relays that push every new event to a subscription without
 * applying `since`), so a copy inside that margin is not held against the relay. A copy further
 * out is one the relay should not have sent.
 */
export const FILTER_TOLERANCE_SECONDS = 900;

/**
 * How long (ms) copies may still arrive under a subscription after the collector closed or
 * replaced it: frames already on the wire when the relay read the CLOSE or the new REQ.
 */
export const SUBSCRIPTION_GRACE_MS = 10_000;

/**
 * An event whose created_at is more than this many seconds before the moment it is first counted
 * is `late` (a rebroadcast, a replay, an import). One hour: longer than clock skew, propagation
 * and the collector's own resume look-back (RESUME_LOOKBACK_SECONDS, 900 s by default), so a
 * reconnect after a gap of up to about 45 minutes recovers what it missed as current events. The
 * price: a genuine event published more than an hour after it was signed (a draft, a client that
 * was offline, a resume after a longer collector outage) is not activity of the hour it arrives;
 * it is counted as `late` instead.
 */
export const LATE_AFTER_SECONDS = 3600;

/**
 * An event whose created_at is more than this many seconds after the moment it is first counted
 * is `future`: beyond any honest clock skew, so the timestamp is made up.
 */
export const FUTURE_AFTER_SECONDS = 900;

/** When an event is, by its created_at, at the moment it is first counted. */
export type Timing = 'current' | 'late' | 'future';

/** The timing of an event with `createdAt` (unix seconds) first counted at `atMs` (ms). */
export function timingOf(createdAt: number, atMs: number): Timing {
  const ageSeconds = atMs / 1000 - createdAt;
  if (ageSeconds > LATE_AFTER_SECONDS) return 'late';
  if (ageSeconds < -FUTURE_AFTER_SECONDS) return 'future';
  return 'current';
}
