import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';

/** Shape of a generated follow graph (defaults: the trust benchmark's target). */
export interface GraphShape {
  pubkeys?: number;
  /** Mean drawn list size; duplicates drawn within a list are kept once, so slightly fewer edges. */
  meanFollows?: number;
  /**
   * Followee of a draw u: 1 + floor(pubkeys · u^skew). Key rank r is then followed in proportion to
   * r^(1/skew − 1): with skew 2.5, in-degree falls as rank^−0.6, a heavy tail led by the first ids.
   */
  skew?: number;
  /** Lists written per statement, so the generation commits in steps and runs on two connections. */
  listsPerStatement?: number;
}

/** The pubkey of generated key `id` (64 hex characters). */
export const benchPubkey = (id: number): string => id.toString(16).padStart(64, '0');

/**
 * Fills an empty, migrated database with `pubkeys` keys in `pubkey_ids` and one follow list per
 * key in `follow_lists`, set-based (`generate_series`, `insert … select`): list sizes are
 * exponential with mean `meanFollows` (at most 5,000), followees drawn with a heavy-tailed
 * popularity. Returns the lists and edges written.
 */
export async function generateGraph(
  db: Kysely<Database>,
  { pubkeys = 1_000_000, meanFollows = 53, skew = 2.5, listsPerStatement = 50_000 }: GraphShape = {},
): Promise<{ lists: number; edges: number }> {
  await sql`
    insert into pubkey_ids (id, pubkey)
    select i, lpad(to_hex(i), 64, '0') from generate_series(1, ${pubkeys}::int) i`.execute(db);
  await sql`select setval(pg_get_serial_sequence('pubkey_ids', 'id'), ${pubkeys}::int)`.execute(db);
  const steps: [number, number][] = [];
  for (let from = 1; from <= pubkeys; from += listsPerStatement)
    steps.push([from, Math.min(pubkeys, from + listsPerStatement - 1)]);
  const write = async ([from, to]: [number, number]) => {
    await sql`
      insert into follow_lists (follower_id, event_id, created_at, followees)
      select f, lpad(to_hex(f), 64, '0'), now() - interval '1 day',
             array(select distinct 1 + floor(${pubkeys}::int * power(random(), ${skew}::float8))::int
                     from generate_series(1, s.n) order by 1)
        from (select f, greatest(1, least(5000, floor(-ln(1 - random()) * ${meanFollows}::float8)::int)) n
                from generate_series(${from}::int, ${to}::int) f) s`.execute(db);
  };
  // Two statements at a time: one per core.
  for (let i = 0; i < steps.length; i += 2) await Promise.all(steps.slice(i, i + 2).map(write));
  await sql`analyze follow_lists`.execute(db);
  await sql`analyze pubkey_ids`.execute(db);
  const { rows } = await sql<{ lists: string; edges: string }>`
    select count(*) as lists, sum(cardinality(followees)) as edges from follow_lists`.execute(db);
  return { lists: Number(rows[0]?.lists ?? 0), edges: Number(rows[0]?.edges ?? 0) };
}

/**
 * Replaces `share` of the follow lists (every k-th follower) with a list of the same size drawn
 * anew and a newer created_at, as the collector's flush does: the change an incremental trust run
 * has to take in.
 */
export async function changeLists(db: Kysely<Database>, share: number, pubkeys: number, skew = 2.5) {
  const every = Math.round(1 / share);
  const { rows } = await sql<{ n: string }>`
    with changed as (
      update follow_lists l
         set followees = array(select distinct 1 + floor(${pubkeys}::int * power(random(), ${skew}::float8))::int
                                 from generate_series(1, greatest(1, cardinality(l.followees))) order by 1),
             created_at = l.created_at + interval '1 hour',
             updated_at = now()
       where l.follower_id % ${every}::int = 0
      returning 1)
    select count(*) as n from changed`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
