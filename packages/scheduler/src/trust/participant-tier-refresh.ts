import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import { lookUpTiers } from '../compute/tier-counts.js';
import { SLICES } from './tier-refresh.js';

/** Tables whose rows carry their key's tiers besides `pubkeys`, and the columns that key them. */
const TABLES = [
  { table: 'zap_participants', key: ['role', 'pubkey'] },
  { table: 'client_users', key: ['client', 'pubkey'] },
] as const;

/**
 * Writes the tiers of each zap participant and client user onto its row, with the same definition
 * as `pubkeys` (`lookUpTiers`), right after the pubkey refresh. Only rows whose tiers changed are
 * written, one slice of the key space per statement, so a collector's upsert of the same rows waits
 * at most one statement. Returns the rows changed.
 */
export async function refreshParticipantTiers(db: Kysely<Database>): Promise<number> {
  const tiers = lookUpTiers('q');
  let changed = 0;
  for (const { table, key } of TABLES) {
    const [group] = key;
    for (let i = 0; i < SLICES.length; i++) {
      const from = SLICES[i] ?? '0';
      const to = SLICES[i + 1];
      const upper = to ? sql`and q.pubkey < ${to}` : sql``;
      const { numAffectedRows } = await sql`
        update ${sql.table(table)} dst set profiled = x.profiled, trusted = x.trusted
          from (select q.${sql.ref(group)} as grp, q.pubkey, ${tiers.profiled} as profiled,
                       ${tiers.trusted} as trusted
                  from ${sql.table(table)} q
                 where q.pubkey >= ${from} ${upper}
                 order by q.pubkey, q.${sql.ref(group)}) x
         where dst.${sql.ref(group)} = x.grp and dst.pubkey = x.pubkey
           and (dst.profiled is distinct from x.profiled or dst.trusted is distinct from x.trusted)`.execute(
        db,
      );
      changed += Number(numAffectedRows ?? 0);
    }
  }
  return changed;
}
