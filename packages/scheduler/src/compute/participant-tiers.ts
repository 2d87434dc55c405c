import type { Database } from '@nostr-info/shared/db';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { RangeWindow } from './range-window.js';
import { lookUpTiers } from './tier-counts.js';
import { passBounds } from './window-bounds.js';

/** Profiled and trusted keys among some users of a range (the `keys` figure is counted apart). */
export interface TierPair {
  profiled: number;
  trusted: number;
}

/** Zap senders and receivers, and each client's users, of one range by tier. */
export interface ParticipantTiers {
  senders: TierPair;
  receivers: TierPair;
  clients: Map<string, TierPair>;
}

/** Keys, profiled and trusted keys among some users (trusted null without trust seeds). */
export function tiersOf(keys: number, pair: TierPair | undefined, trust: boolean) {
  return { keys, profiled: pair?.profiled ?? 0, trusted: trust ? (pair?.trusted ?? 0) : null };
}

/** Rows of `table` seen since the widest start, with their tiers (looked up where not refreshed). */
function withTiers(table: 'zap_participants' | 'client_users', group: string, widest: RawBuilder<unknown>) {
  // Not `r`: the lookups name their own tables `r` and `t`.
  const lookedUp = lookUpTiers('src');
  return sql`(select src.${sql.ref(group)} as grp, src.last_seen_at,
                     coalesce(src.profiled, ${lookedUp.profiled}) as profiled,
                     coalesce(src.trusted, ${lookedUp.trusted}) as trusted
                from ${sql.table(table)} src
               where src.last_seen_at >= ${widest}) u`;
}

/**
 * The participant tier figures of every window: one pass over the zap participants and one over
 * the client users seen in the widest window, counted per window. Tiers come from the rows
 * (written by the tier refresh, `participant-tier-refresh.ts`); rows not refreshed yet are looked
 * up, as `readTierCounts` does for `pubkeys`.
 */
export async function readParticipantTiers(
  db: Kysely<Database>,
  windows: readonly RangeWindow[],
): Promise<ParticipantTiers[]> {
  if (windows.length === 0) return [];
  const { bounds, widest } = passBounds(windows);
  const byTier = (prefix: string, where: RawBuilder<unknown>) =>
    bounds.flatMap((time, i) => [
      sql`count(*) filter (where ${where} and last_seen_at >= ${time} and profiled)::bigint as ${sql.ref(`${prefix}profiled_${i}`)}`,
      sql`count(*) filter (where ${where} and last_seen_at >= ${time} and trusted)::bigint as ${sql.ref(`${prefix}trusted_${i}`)}`,
    ]);
  const [zaps, clients] = await Promise.all([
    sql<Record<string, string | number>>`
      select ${sql.join([...byTier('s_', sql`grp = 'sender'`), ...byTier('r_', sql`grp = 'receiver'`)])}
        from ${withTiers('zap_participants', 'role', widest)}`.execute(db),
    sql<Record<string, string | number>>`
      select grp as client, ${sql.join(byTier('', sql`true`))}
        from ${withTiers('client_users', 'client', widest)}
       group by grp`.execute(db),
  ]);
  const z = zaps.rows[0] ?? {};
  const pair = (row: Record<string, string | number>, prefix: string, i: number): TierPair => ({
    profiled: Number(row[`${prefix}profiled_${i}`] ?? 0),
    trusted: Number(row[`${prefix}trusted_${i}`] ?? 0),
  });
  return windows.map((_, i) => ({
    senders: pair(z, 's_', i),
    receivers: pair(z, 'r_', i),
    clients: new Map(clients.rows.map((row) => [String(row.client), pair(row, '', i)])),
  }));
}
