import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import type { FollowGraph } from './page-rank.js';

/** Follow lists read per statement: a list holds up to thousands of ids. */
const LISTS_PER_PAGE = 20_000;

/** An Int32Array that grows by doubling, so reading the graph never holds it twice as JS numbers. */
export class Int32Builder {
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
  /** The ids pushed: a view, not a copy, so the graph is never held twice while it is built. */
  done(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** The graph as it is being read: lists in follower order, and one more than the largest id seen. */
class GraphBuilder {
  followers = new Int32Builder();
  offsets = new Int32Builder();
  followees = new Int32Builder();
  createdAt = new Int32Builder();
  size = 0;
  constructor() {
    this.offsets.push(0);
  }
  /** Ends the list of `follower` (created at `at`) whose followees were just pushed, the largest `max`. */
  endList(follower: number, max: number, at: number): void {
    this.followers.push(follower);
    this.createdAt.push(at);
    this.offsets.push(this.followees.length);
    this.size = Math.max(this.size, follower + 1, max + 1);
  }
  done(): FollowGraph & { edges: number; createdAt: Int32Array } {
    return {
      createdAt: this.createdAt.done(),
      followers: this.followers.done(),
      offsets: this.offsets.done(),
      followees: this.followees.done(),
      size: this.size,
      edges: this.followees.length,
    };
  }
}

/**
 * Appends the ids of an int4[] in PostgreSQL's text form (`{1,2,3}`) to `into`, returning the
 * largest (-1 for none), without building a JS array.
 */
export function appendTextIds(text: string, into: Int32Builder): number {
  let max = -1;
  let value = 0;
  let digits = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits = true;
    } else if (digits) {
      into.push(value);
      if (value > max) max = value;
      value = 0;
      digits = false;
    }
  }
  return max;
}

/**
 * Reads every stored follow list (`follow_lists`) from `db` (the reader), page by page in follower
 * order, into a `FollowGraph`, with each list's created_at (unix seconds) in `createdAt`. Each list
 * comes as the text of its int4[] and is parsed straight into the typed arrays: the driver's array
 * parser builds a JS array per list, which made reading 50 M edges the slowest step
 * (docs/benchmarks.md, trust).
 */
export async function readFollowGraph(
  db: Kysely<Database>,
): Promise<FollowGraph & { edges: number; createdAt: Int32Array }> {
  const graph = new GraphBuilder();
  let after = -1;
  for (;;) {
    const { rows } = await sql<{ id: number; list: string; at: number }>`
      select follower_id as id, followees::text as list, extract(epoch from created_at)::int as at
        from follow_lists
       where follower_id > ${after} order by follower_id limit ${LISTS_PER_PAGE}`.execute(db);
    for (const row of rows) {
      after = row.id;
      graph.endList(after, appendTextIds(row.list, graph.followees), row.at);
    }
    if (rows.length < LISTS_PER_PAGE) return graph.done();
  }
}
