import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import type { CounterBuffer, ReplaceableRow } from '../aggregate/counter-buffer.js';
import { chunkRows } from './chunks.js';

type Tx = Kysely<Database>;

/** Keys sent per dictionary statement (one array parameter each). */
const KEYS_PER_STATEMENT = 5000;
/** Lists per upsert: a list can hold thousands of followees, so fewer rows than other tables. */
const LISTS_PER_STATEMENT = 200;

/**
 * The ids of `pubkeys` (sorted, distinct) in `pubkey_ids`, adding the missing ones. Only keys not
 * there yet are inserted: a conflicting insert would still use up an identity value, and most
 * followees of a list are known already. Sorted order gives concurrent flushes one lock order.
 */
async function pubkeyIds(tx: Tx, pubkeys: readonly string[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let i = 0; i < pubkeys.length; i += KEYS_PER_STATEMENT) {
    const chunk = pubkeys.slice(i, i + KEYS_PER_STATEMENT);
    await sql`
      insert into pubkey_ids (pubkey)
      select k.pubkey from unnest(${chunk}::text[]) as k(pubkey)
       where not exists (select 1 from pubkey_ids p where p.pubkey = k.pubkey)
       order by k.pubkey
      on conflict (pubkey) do nothing`.execute(tx);
    const rows = await tx
      .selectFrom('pubkey_ids')
      .select(['id', 'pubkey'])
      .where('pubkey', '=', sql<string>`any(${chunk}::text[])`)
      .execute();
    for (const r of rows) ids.set(r.pubkey, r.id);
  }
  return ids;
}

/**
 * Writes the newest follow list of each pubkey in the buffer to the follow graph (`follow_lists`),
 * replacing the stored list only when this one is newer (NIP-01: newest created_at, ties to the
 * lowest id), the rule `replaceable_events` follows. The upsert's condition is evaluated against
 * the row as committed by any concurrent flush, so two replicas flushing lists of one pubkey, in
 * either order, leave exactly the newest list; an older list arriving late changes nothing.
 */
export async function flushFollows(tx: Tx, buffer: CounterBuffer): Promise<void> {
  const lists: (ReplaceableRow & { follows: string[] })[] = [];
  for (const row of buffer.replaceable.values())
    if (row.kind === 3 && row.follows) lists.push({ ...row, follows: row.follows });
  if (lists.length === 0) return;
  const keys = new Set<string>();
  for (const list of lists) {
    keys.add(list.pubkey);
    for (const f of list.follows) keys.add(f);
  }
  const ids = await pubkeyIds(tx, [...keys].sort());
  const rows = lists
    .map((list) => ({
      follower_id: ids.get(list.pubkey) ?? -1,
      event_id: list.eventId,
      created_at: new Date(list.createdAt),
      // Sorted ids: compact to scan, and two versions of a list compare element by element.
      followees: Int32Array.from(list.follows, (f) => ids.get(f) ?? -1).sort(),
    }))
    .filter((r) => r.follower_id >= 0 && !r.followees.includes(-1))
    .sort((a, b) => a.follower_id - b.follower_id);
  for (const chunk of chunkRows(rows, 4, LISTS_PER_STATEMENT)) {
    await tx
      .insertInto('follow_lists')
      .values(
        chunk.map((r) => ({
          follower_id: r.follower_id,
          event_id: r.event_id,
          created_at: r.created_at,
          followees: sql<number[]>`${`{${r.followees.join(',')}}`}::integer[]`,
        })),
      )
      .onConflict((oc) =>
        oc
          .column('follower_id')
          .doUpdateSet({
            event_id: sql`excluded.event_id`,
            created_at: sql`excluded.created_at`,
            followees: sql`excluded.followees`,
            updated_at: sql`now()`,
          })
          .where((eb) =>
            eb.or([
              eb('excluded.created_at', '>', eb.ref('follow_lists.created_at')),
              eb.and([
                eb('excluded.created_at', '=', eb.ref('follow_lists.created_at')),
                eb('excluded.event_id', '<', eb.ref('follow_lists.event_id')),
              ]),
            ]),
          ),
      )
      .execute();
  }
}
