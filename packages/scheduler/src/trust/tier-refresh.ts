import type { Database } from '@nostr-info/shared/db';
import type { Logger } from '@nostr-info/shared/log';
import { type Kysely, sql } from 'kysely';
import { lookUpTiers } from '../compute/tier-counts.js';
import { isDue } from './due.js';
import { storeTierBuckets } from './tier-buckets-store.js';

/** Key ranges refreshed one statement (and transaction) each, so no row stays locked for long. */
export const SLICES = '0123456789abcdef'.split('');

/** What one refresh did; `ran` false when it was not due. */
export interface TierRefreshResult {
  ran: boolean;
  /** Rows whose tiers changed (or were set for the first time). */
  changed?: number;
  durationMs?: number;
  /** Of which counting the tiers per hour and day (`user_tiers_*`). */
  bucketsMs?: number;
}

/**
 * Writes each pubkey's tiers onto its row (`pubkeys.profiled`: a profile and a follow list stored;
 * `pubkeys.trusted`: in `trusted_pubkeys`), when `intervalSeconds` have passed since the last
 * refresh, so the statistics runs count tiers in their pass over `pubkeys` instead of joining. Only
 * rows whose tiers changed are written, one slice of the key space per statement: collectors
 * upserting the same rows wait at most one slice's statement, and both take row locks in key order.
 * Rows inserted since (tiers null) are worked out by the statistics run itself until the next one.
 * Then counts the tiers of every finished hour and day for the activity timeline (`tier-buckets-store.ts`).
 */
export async function refreshUserTiersIfDue(
  db: Kysely<Database>,
  { now, intervalSeconds, log }: { now: Date; intervalSeconds: number; log: Logger },
): Promise<TierRefreshResult> {
  if (!(await isDue(db, 'user_tier_refreshes', now, intervalSeconds))) return { ran: false };
  const t0 = performance.now();
  const tiers = lookUpTiers('q');
  let changed = 0;
  for (let i = 0; i < SLICES.length; i++) {
    const from = SLICES[i] ?? '0';
    const to = SLICES[i + 1];
    const upper = to ? sql`and q.pubkey < ${to}` : sql``;
    const { numAffectedRows } = await sql`
      update pubkeys p set profiled = x.profiled, trusted = x.trusted
        from (select q.pubkey, ${tiers.profiled} as profiled, ${tiers.trusted} as trusted
                from pubkeys q
               where q.pubkey >= ${from} ${upper}
               order by q.pubkey) x
       where p.pubkey = x.pubkey
         and (p.profiled is distinct from x.profiled or p.trusted is distinct from x.trusted)`.execute(db);
    changed += Number(numAffectedRows ?? 0);
  }
  // The per-bucket counts and the bounds the statistics run reads them by, in one transaction.
  const t1 = performance.now();
  const durationMs = await db.transaction().execute(async (tx) => {
    const { hoursThrough, daysThrough } = await storeTierBuckets(tx, now);
    const ms = Math.round(performance.now() - t0);
    await tx
      .insertInto('user_tier_refreshes')
      .values({
        refreshed_at: now,
        changed,
        duration_ms: ms,
        hours_through: hoursThrough,
        days_through: daysThrough,
      })
      .onConflict((oc) => oc.column('refreshed_at').doNothing())
      .execute();
    return ms;
  });
  const bucketsMs = Math.round(performance.now() - t1);
  await db
    .deleteFrom('user_tier_refreshes')
    .where('refreshed_at', '<', new Date(now.getTime() - 7 * 86_400_000))
    .execute();
  log.info({ changed, durationMs, bucketsMs }, 'user tiers refreshed');
  return { ran: true, changed, durationMs, bucketsMs };
}
