import type { Database } from '@nostr-info/shared/db';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { RangeWindow } from './range-window.js';
import { passBounds } from './window-bounds.js';

/** Active and new users of one range by tier (see docs/methodology.md, `overview.user_tiers`). */
export interface TierCounts {
  active_profiled: number;
  new_profiled: number;
  active_trusted: number;
  new_trusted: number;
}

const FIELDS = ['active_profiled', 'new_profiled', 'active_trusted', 'new_trusted'] as const;

/**
 * The tiers of the key in column `pubkey` of row `alias`, looked up in the tables that define them:
 * `profiled`, a profile (kind 0) and a follow list (kind 3) stored; `trusted`, in `trusted_pubkeys`.
 * The one definition the refresh writes onto the rows and the statistics run falls back to.
 */
export function lookUpTiers(alias: string): { profiled: RawBuilder<boolean>; trusted: RawBuilder<boolean> } {
  const key = sql.ref(`${alias}.pubkey`);
  return {
    profiled: sql<boolean>`exists (select 1 from replaceable_events r where r.kind = 0 and r.pubkey = ${key})
      and exists (select 1 from replaceable_events r where r.kind = 3 and r.pubkey = ${key})`,
    trusted: sql<boolean>`exists (select 1 from trusted_pubkeys t where t.pubkey = ${key})`,
  };
}

/**
 * The tier figures of every window in one statement: one pass over the pubkeys active in the
 * widest window, counted per window. Tiers come from the row (`profiled`, `trusted`, written by the
 * hourly refresh, `tier-refresh.ts`); only rows the refresh has not seen yet are looked up in the
 * profiles and trusted keys. Joining every row per range and figure took seconds at a million
 * trusted keys. Ranges are nested, so new users (first seen in the window) are among its active
 * ones.
 */
export async function readTierCounts(
  db: Kysely<Database>,
  windows: readonly RangeWindow[],
): Promise<TierCounts[]> {
  if (windows.length === 0) return [];
  const { bounds, widest } = passBounds(windows);
  const counts = bounds.flatMap((time, i) => [
    sql`count(*) filter (where last_seen_at >= ${time} and profiled)::bigint as ${sql.ref(`active_profiled_${i}`)}`,
    sql`count(*) filter (where first_seen_at >= ${time} and profiled)::bigint as ${sql.ref(`new_profiled_${i}`)}`,
    sql`count(*) filter (where last_seen_at >= ${time} and trusted)::bigint as ${sql.ref(`active_trusted_${i}`)}`,
    sql`count(*) filter (where first_seen_at >= ${time} and trusted)::bigint as ${sql.ref(`new_trusted_${i}`)}`,
  ]);
  const lookedUp = lookUpTiers('p');
  const { rows } = await sql<Record<string, string | number>>`
    select ${sql.join(counts)}
      from (select p.first_seen_at, p.last_seen_at, coalesce(p.profiled, ${lookedUp.profiled}) as profiled,
                   coalesce(p.trusted, ${lookedUp.trusted}) as trusted
              from pubkeys p
             where p.last_seen_at >= ${widest}) u`.execute(db);
  const row = rows[0] ?? {};
  return windows.map((_, i) => {
    const out = {} as TierCounts;
    for (const f of FIELDS) out[f] = Number(row[`${f}_${i}`] ?? 0);
    return out;
  });
}
