import type { Database } from '@nostr-info/shared/db';
import { type Overview, ZAP_REJECT_REASONS, type ZapRejectReason } from '@nostr-info/shared/stats';
import { type Kysely, sql } from 'kysely';
import { type ParticipantTiers, tiersOf } from './participant-tiers.js';
import type { RangeScalars } from './range-data.js';
import type { RangeWindow } from './range-window.js';
import { windowBounds } from './window-bounds.js';

/** Zap receipts of one range that were not counted, by NIP-57 reason. */
export interface ZapRangeFigures {
  rejected: Record<ZapRejectReason, number>;
  /** Receipts whose recipient's zap provider could not be learned, and their amount. */
  unverified: { count: number; sats: number };
}

/**
 * Reads the zap receipts a range did not count, by reason (inside the run's consistent read).
 * `all` reads the day table whole: one row per day and reason.
 */
export async function readZapFigures(db: Kysely<Database>, window: RangeWindow): Promise<ZapRangeFigures> {
  const { rows: windowRows } = windowBounds(window);
  const rows = await sql<{ reason: string; receipts: number; sats: number }>`
    select reason, sum(receipts)::bigint as receipts,
           (sum(sats) + floor(sum(extra_msats) / 1000))::bigint as sats
      from ${windowRows('zapRejections')} group by reason`.execute(db);
  const rejected = Object.fromEntries(ZAP_REJECT_REASONS.map((r) => [r, 0])) as Record<
    ZapRejectReason,
    number
  >;
  let unverifiedSats = 0;
  for (const r of rows.rows) {
    // A reason a newer collector writes and this scheduler does not know is left out.
    if (!(ZAP_REJECT_REASONS as readonly string[]).includes(r.reason)) continue;
    rejected[r.reason as ZapRejectReason] += Number(r.receipts);
    if (r.reason === 'unverified') unverifiedSats += Number(r.sats);
  }
  return { rejected, unverified: { count: rejected.unverified, sats: unverifiedSats } };
}

/**
 * The overview's zap figures: count, sats, senders and receivers of accepted receipts only; the
 * rest by reason. `flagged` (receipts rejected for their amount) adds what collectors of the
 * previous release stored as flagged.
 */
export function zapOverview(
  s: RangeScalars,
  zaps: ZapRangeFigures,
  people: ParticipantTiers,
  trust: boolean,
): Overview['zaps'] {
  return {
    count: s.zaps,
    sats: s.sats,
    senders: s.senders,
    receivers: s.receivers,
    tiers: {
      senders: tiersOf(s.senders, people.senders, trust),
      receivers: tiersOf(s.receivers, people.receivers, trust),
    },
    flagged: s.flagged + zaps.rejected.amount_mismatch + zaps.rejected.implausible,
    rejected: zaps.rejected,
    unverified: zaps.unverified,
  };
}
