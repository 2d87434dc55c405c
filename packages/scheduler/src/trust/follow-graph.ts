import type { Database } from '@nostr-info/shared/db';
import type { Kysely } from 'kysely';
import type { FollowGraph } from './page-rank.js';

/** Follow lists read per statement: a list holds up to thousands of ids. */
const LISTS_PER_PAGE = 2000;

/** An Int32Array that grows by doubling, so reading the graph never holds it twice as JS numbers. */
class Int32Builder {
  data = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  done(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Reads every stored follow list (`follow_lists`) from `db` (the reader), page by page in
 * follower order, into a `FollowGraph`.
 */
export async function readFollowGraph(db: Kysely<Database>): Promise<FollowGraph & { edges: number }> {
  const followers = new Int32Builder();
  const offsets = new Int32Builder();
  const followees = new Int32Builder();
  let size = 0;
  let after = -1;
  offsets.push(0);
  for (;;) {
    const page = await db
      .selectFrom('follow_lists')
      .select(['follower_id', 'followees'])
      .where('follower_id', '>', after)
      .orderBy('follower_id')
      .limit(LISTS_PER_PAGE)
      .execute();
    for (const row of page) {
      followers.push(row.follower_id);
      if (row.follower_id >= size) size = row.follower_id + 1;
      for (const f of row.followees) {
        followees.push(f);
        if (f >= size) size = f + 1;
      }
      offsets.push(followees.length);
      after = row.follower_id;
    }
    if (page.length < LISTS_PER_PAGE) break;
  }
  return {
    followers: followers.done(),
    offsets: offsets.done(),
    followees: followees.done(),
    size,
    edges: followees.length,
  };
}
