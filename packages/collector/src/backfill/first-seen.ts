import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import { dayOf, hourOf } from '../aggregate/buckets.js';
import { bump } from '../store/chunks.js';
import { addCounters } from '../store/upsert-counters.js';

type Tx = Kysely<Database>;

/** Keys per statement (two array parameters each). */
const KEYS_PER_STATEMENT = 5000;

/**
 * Moves first-seen times back to the earliest `created_at` history shows (`earliest`: pubkey →
 * ms), keeping the per-bucket new-user counts (`user_activity_*`) equal to the keys first seen in
 * each bucket: a moved key leaves the bucket of its old time and joins the one of its new time.
 *
 * A key not known yet is inserted with no last-seen time (`-infinity`) and no events: nothing of
 * it was received in a range. A known key is locked (`FOR UPDATE`, in key order, the order the
 * collector's flush takes) before its time is read, so a concurrent flush waits and then keeps
 * the earlier time with `least()`, and a count is moved exactly once. Idempotent: a page written
 * again moves nothing.
 */
export async function moveFirstSeen(
  tx: Tx,
  earliest: ReadonlyMap<string, number>,
): Promise<{ inserted: number; moved: number }> {
  const deltas = new Map<string, number>();
  const keys = [...earliest.keys()].sort();
  let inserted = 0;
  let moved = 0;
  for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) {
    const chunk = keys.slice(i, i + KEYS_PER_STATEMENT);
    const times = chunk.map((k) => new Date(earliest.get(k) ?? 0).toISOString());
    const added = await sql<{ pubkey: string }>`
      insert into pubkeys (pubkey, first_seen_at, last_seen_at, events)
      select u.pubkey, u.t, '-infinity'::timestamptz, 0
        from unnest(${chunk}::text[], ${times}::timestamptz[]) as u(pubkey, t)
       order by u.pubkey
      on conflict (pubkey) do nothing
      returning pubkey`.execute(tx);
    const addedKeys = new Set(added.rows.map((r) => r.pubkey));
    for (const k of addedKeys) count(deltas, earliest.get(k) ?? 0, 1);
    inserted += addedKeys.size;
    const known = chunk.filter((k) => !addedKeys.has(k));
    if (known.length === 0) continue;
    const current = await sql<{ pubkey: string; first_seen_at: Date }>`
      select pubkey, first_seen_at from pubkeys
       where pubkey = any(${known}::text[])
       order by pubkey
         for update`.execute(tx);
    const moves = current.rows.filter(
      (r) => (earliest.get(r.pubkey) ?? Number.POSITIVE_INFINITY) < r.first_seen_at.getTime(),
    );
    if (moves.length === 0) continue;
    await sql`
      update pubkeys p set first_seen_at = u.t
        from unnest(${moves.map((r) => r.pubkey)}::text[],
                    ${moves.map((r) => new Date(earliest.get(r.pubkey) ?? 0).toISOString())}::timestamptz[])
             as u(pubkey, t)
       where p.pubkey = u.pubkey`.execute(tx);
    for (const r of moves) {
      count(deltas, r.first_seen_at.getTime(), -1);
      count(deltas, earliest.get(r.pubkey) ?? 0, 1);
    }
    moved += moves.length;
  }
  await applyDeltas(tx, deltas);
  return { inserted, moved };
}

/** Adds `by` to the hour and the day of `ms` (hour keys carry a `T`, day keys do not). */
function count(deltas: Map<string, number>, ms: number, by: number): void {
  const hour = hourOf(ms);
  bump(deltas, hour, by);
  bump(deltas, dayOf(hour), by);
}

const byKey = ([a]: [string, number], [b]: [string, number]) => (a < b ? -1 : a > b ? 1 : 0);

async function applyDeltas(tx: Tx, deltas: Map<string, number>): Promise<void> {
  const sorted = [...deltas].filter(([, n]) => n !== 0).sort(byKey);
  const gains = sorted.filter(([, n]) => n > 0);
  await addCounters(tx, {
    table: 'user_activity_hourly',
    keys: ['hour'],
    counters: ['active_users', 'new_users'],
    rows: gains
      .filter(([k]) => k.includes('T'))
      .map(([hour, n]) => ({ hour, active_users: 0, new_users: n })),
  });
  await addCounters(tx, {
    table: 'user_activity_daily',
    keys: ['day'],
    counters: ['active_users', 'new_users'],
    rows: gains.filter(([k]) => !k.includes('T')).map(([day, n]) => ({ day, active_users: 0, new_users: n })),
  });
  // A key moved out of a bucket was counted there when it was first seen; a row already pruned
  // (past the hourly retention) has nothing left to take from.
  for (const [key, n] of sorted.filter(([, v]) => v < 0)) {
    if (key.includes('T'))
      await sql`update user_activity_hourly set new_users = new_users + ${n}
                 where hour = ${key}::timestamptz`.execute(tx);
    else
      await sql`update user_activity_daily set new_users = new_users + ${n} where day = ${key}::date`.execute(
        tx,
      );
  }
}
