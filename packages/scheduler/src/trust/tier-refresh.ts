import type { Database } from '@nostr-info/shared/db';
import type { Logger } from '@nostr-info/shared/log';
import { type Kysely, sql } from 'kysely';

/** Key ranges refreshed one statement (and transaction) each, so no row stays locked for long. */
const SLICES = '0123456789abcdef'.split('');

/** What one refresh did; `ran` false when it was not due. */
export interface TierRefreshResult {
  ran: boolean;
  /** Rows whose tiers changed (or were set for the first time). */
  changed?: number;
  durationMs?: number;
}

async function due(db: Kysely<Database>, now: Date, intervalSeconds: number): Promise<boolean> {
  const last = await db
    .selectFrom('user_tier_refreshes')
    .select((eb) => eb.fn.max('refreshed_at').as('at'))
    .executeTakeFirst();
  const at = last?.at ? new Date(last.at).getTime() : null;
  return at === null || now.getTime() - at >= intervalSeconds * 1000 - 1000;
}

/**
 * Writes each pubkey's tiers onto its row (`pubkeys.profiled`: a profile and a follow list stored;
 * `pubkeys.trusted`: in `trusted_pubkeys`), when `intervalSeconds` have passed since the last
 * refresh, so the statistics runs count tiers in their pass over `pubkeys` instead of joining. Only
 * rows whose tiers changed are written, one slice of the key space per statement: collectors
 * upserting the same rows wait at most one slice's statement, and both take row locks in key order.
 * Rows inserted since (tiers null) are worked out by the statistics run itself until the next one.
 */
export async function refreshUserTiersIfDue(
  db: Kysely<Database>,
  { now, intervalSeconds, log }: { now: Date; intervalSeconds: number; log: Logger },
): Promise<TierRefreshResult> {
  if (!(await due(db, now, intervalSeconds))) return { ran: false };
  const t0 = performance.now();
  let changed = 0;
  for (let i = 0; i < SLICES.length; i++) {
    const from = SLICES[i] ?? '0';
    const to = SLICES[i + 1];
    const upper = to ? sql`and q.pubkey < ${to}` : sql``;
    const { numAffectedRows } = await sql`
      update pubkeys p set profiled = x.profiled, trusted = x.trusted
        from (select q.pubkey,
                     exists (select 1 from replaceable_events r where r.kind = 0 and r.pubkey = q.pubkey)
                       and exists (select 1 from replaceable_events r where r.kind = 3 and r.pubkey = q.pubkey)
                       as profiled,
                     exists (select 1 from trusted_pubkeys t where t.pubkey = q.pubkey) as trusted
                from pubkeys q
               where q.pubkey >= ${from} ${upper}
               order by q.pubkey) x
       where p.pubkey = x.pubkey
         and (p.profiled is distinct from x.profiled or p.trusted is distinct from x.trusted)`.execute(db);
    changed += Number(numAffectedRows ?? 0);
  }
  const durationMs = Math.round(performance.now() - t0);
  await db
    .insertInto('user_tier_refreshes')
    .values({ refreshed_at: now, changed, duration_ms: durationMs })
    .onConflict((oc) => oc.column('refreshed_at').doNothing())
    .execute();
  await db
    .deleteFrom('user_tier_refreshes')
    .where('refreshed_at', '<', new Date(now.getTime() - 7 * 86_400_000))
    .execute();
  log.info({ changed, durationMs }, 'user tiers refreshed');
  return { ran: true, changed, durationMs };
}
