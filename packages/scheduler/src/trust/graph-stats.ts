import { FOLLOWER_BUCKETS, STATS_RANGES, type StatsRange } from '@nostr-info/shared/stats';
import { percent, round } from '../compute/numbers.js';
import { rangeWindow } from '../compute/range-window.js';
import type { FollowGraph } from './page-rank.js';

/** How many trusted keys `top_trusted` lists. */
export const TOP_TRUSTED = 100;

/** The lists of one range and their sizes. */
export interface ListFigures {
  lists_published: number;
  follows_per_list: { median: number; p90: number; mean: number } | null;
}

/** A trusted key by node id, before the id is mapped to its pubkey. */
export interface TopTrustedNode {
  id: number;
  followers: number;
  score: number;
}

/** Statistics of one follow graph (docs/methodology.md, "The follow graph"). */
export interface GraphStats {
  ranges: Record<StatsRange, ListFigures>;
  lists: number;
  edges: number;
  followers: {
    followed_keys: number;
    buckets: { min: number; max: number | null; keys: number }[];
    median: number | null;
    p90: number | null;
    max: number | null;
  };
  mutual_pct: number;
  top_trusted: TopTrustedNode[];
}

/**
 * Nearest-rank percentile from a histogram (`counts[v]` values equal `v`, `total` values in all):
 * the smallest value with at least `p` % of the values at or below it. Null for no values.
 */
export function histogramRank(counts: Int32Array, total: number, p: number): number | null {
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (let v = 0; v < counts.length; v++) {
    seen += counts[v] ?? 0;
    if (seen >= rank) return v;
  }
  return null;
}

/** Index of `value` in the ascending `sorted[from..to)`, or -1. */
function indexIn(sorted: Int32Array, from: number, to: number, value: number): number {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = sorted[mid] ?? 0;
    if (at < value) lo = mid + 1;
    else if (at > value) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/** Lists per range and the nearest-rank median, p90 and mean of their lengths. */
function listFigures(
  graph: FollowGraph,
  listCreatedAt: Int32Array,
  now: Date,
): Record<StatsRange, ListFigures> {
  const { offsets, followers } = graph;
  let longest = 0;
  for (let i = 0; i < followers.length; i++) {
    longest = Math.max(longest, (offsets[i + 1] ?? 0) - (offsets[i] ?? 0));
  }
  // One length histogram per range: O(lists + longest) each, no sort.
  const starts = STATS_RANGES.map((range) => {
    const start = rangeWindow(range, now).start;
    return start === null ? Number.NEGATIVE_INFINITY : start.getTime() / 1000;
  });
  const counts = STATS_RANGES.map(() => new Int32Array(longest + 1));
  const totals = STATS_RANGES.map(() => ({ lists: 0, follows: 0 }));
  for (let i = 0; i < followers.length; i++) {
    const length = (offsets[i + 1] ?? 0) - (offsets[i] ?? 0);
    const at = listCreatedAt[i] ?? 0;
    for (let r = 0; r < starts.length; r++) {
      if (at < (starts[r] ?? 0)) continue;
      const c = counts[r];
      const t = totals[r];
      if (!c || !t) continue;
      c[length] = (c[length] ?? 0) + 1;
      t.lists++;
      t.follows += length;
    }
  }
  const out = {} as Record<StatsRange, ListFigures>;
  STATS_RANGES.forEach((range, r) => {
    const c = counts[r] ?? new Int32Array(1);
    const { lists, follows } = totals[r] ?? { lists: 0, follows: 0 };
    const median = histogramRank(c, lists, 50);
    const p90 = histogramRank(c, lists, 90);
    out[range] = {
      lists_published: lists,
      follows_per_list:
        median === null || p90 === null ? null : { median, p90, mean: round(follows / lists, 1) },
    };
  });
  return out;
}

/** Followers of every node: one count per node, one increment per edge. */
function inDegrees(graph: FollowGraph): Int32Array {
  const degree = new Int32Array(graph.size);
  for (const v of graph.followees) degree[v] = (degree[v] ?? 0) + 1;
  return degree;
}

/** The follower-count distribution over keys with at least one follower. */
function followerFigures(degree: Int32Array): GraphStats['followers'] {
  let max = 0;
  for (const d of degree) if (d > max) max = d;
  const counts = new Int32Array(max + 1);
  let followed = 0;
  for (const d of degree) {
    if (d === 0) continue;
    counts[d] = (counts[d] ?? 0) + 1;
    followed++;
  }
  const buckets = FOLLOWER_BUCKETS.map(({ min, max: top }) => {
    let keys = 0;
    for (let d = min; d <= Math.min(top ?? max, max); d++) keys += counts[d] ?? 0;
    return { min, max: top, keys };
  });
  return {
    followed_keys: followed,
    buckets,
    median: histogramRank(counts, followed, 50),
    p90: histogramRank(counts, followed, 90),
    max: followed === 0 ? null : max,
  };
}

/**
 * Follows u→v whose v also follows u. Each mutual pair is found once, from its lower key u: for
 * each u→v with v > u, is u in v's sorted list? With the lists in ascending follower order (as
 * `readFollowGraph` reads them) the u asked about a list only grow, so a cursor per list walks it
 * once: O(edges) in all, one random read per edge. Otherwise a binary search per edge.
 */
function mutualFollows(graph: FollowGraph): number {
  const { followers, offsets, followees, size } = graph;
  const listOf = new Int32Array(size).fill(-1);
  let ascending = true;
  for (let i = 0; i < followers.length; i++) {
    const u = followers[i] ?? 0;
    listOf[u] = i;
    if (i > 0 && u <= (followers[i - 1] ?? 0)) ascending = false;
  }
  const cursor = ascending ? offsets.slice(0, followers.length) : null;
  let pairs = 0;
  for (let i = 0; i < followers.length; i++) {
    const u = followers[i] ?? 0;
    const to = offsets[i + 1] ?? 0;
    for (let e = offsets[i] ?? 0; e < to; e++) {
      const v = followees[e] ?? 0;
      if (v <= u) continue;
      const j = listOf[v] ?? -1;
      if (j < 0) continue;
      const end = offsets[j + 1] ?? 0;
      if (cursor) {
        let c = cursor[j] ?? end;
        while (c < end && (followees[c] ?? 0) < u) c++;
        cursor[j] = c;
        if (c < end && followees[c] === u) pairs++;
      } else if (indexIn(followees, offsets[j] ?? 0, end, u) >= 0) pairs++;
    }
  }
  return 2 * pairs;
}

/**
 * The `TOP_TRUSTED` trusted keys with the most followers (ties: the lower id), most first: a
 * bounded min-heap over the trusted keys, O(trusted × log 100), never a sort of every key.
 */
function topTrusted(
  degree: Int32Array,
  trusted: { ids: Int32Array; scores: Float64Array },
  limit = TOP_TRUSTED,
): TopTrustedNode[] {
  // Heap of indices into `trusted`; the root is the worst kept: fewest followers, then highest id.
  const heap: number[] = [];
  const followersOf = (k: number) => degree[trusted.ids[k] ?? 0] ?? 0;
  const worse = (a: number, b: number) =>
    followersOf(a) < followersOf(b) || (followersOf(a) === followersOf(b) && a > b);
  const swap = (a: number, b: number) => {
    const t = heap[a] ?? 0;
    heap[a] = heap[b] ?? 0;
    heap[b] = t;
  };
  const siftDown = (from: number) => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < heap.length && worse(heap[l] ?? 0, heap[w] ?? 0)) w = l;
      if (r < heap.length && worse(heap[r] ?? 0, heap[w] ?? 0)) w = r;
      if (w === i) return;
      swap(i, w);
      i = w;
    }
  };
  for (let k = 0; k < trusted.ids.length; k++) {
    if (heap.length < limit) {
      heap.push(k);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i] ?? 0, heap[parent] ?? 0)) break;
        swap(i, parent);
        i = parent;
      }
    } else if (limit > 0 && worse(heap[0] ?? 0, k)) {
      heap[0] = k;
      siftDown(0);
    }
  }
  // Ids ascend with `k`, so ordering by `k` on a tie is ordering by id.
  return heap
    .sort((a, b) => followersOf(b) - followersOf(a) || a - b)
    .map((k) => ({ id: trusted.ids[k] ?? 0, followers: followersOf(k), score: trusted.scores[k] ?? 0 }));
}

/**
 * Statistics of the follow graph as the trust computation holds it (docs/methodology.md, "The
 * follow graph"). `listCreatedAt[i]` is list `i`'s created_at in unix seconds; `trusted` holds the
 * trusted node ids ascending with their scores. Memory beyond the graph: an Int32Array per node
 * (followers) and two for the mutual count (list of a node, cursor per list), plus histograms as
 * long as the longest list and the highest follower count; time O(edges).
 */
export function computeGraphStats(
  graph: FollowGraph,
  listCreatedAt: Int32Array,
  trusted: { ids: Int32Array; scores: Float64Array },
  now: Date,
): GraphStats {
  const edges = graph.followees.length;
  const degree = inDegrees(graph);
  return {
    ranges: listFigures(graph, listCreatedAt, now),
    lists: graph.followers.length,
    edges,
    followers: followerFigures(degree),
    mutual_pct: percent(mutualFollows(graph), edges),
    top_trusted: topTrusted(degree, trusted),
  };
}
