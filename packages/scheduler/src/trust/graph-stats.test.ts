import { describe, expect, it } from 'vitest';
import { computeGraphStats, histogramRank } from './graph-stats.js';
import type { FollowGraph } from './page-rank.js';

const NOW = new Date('2026-12-06T12:02:00Z');
const NOW_SEC = NOW.getTime() / 1000;
const HOUR = 3600;
const DAY = 24 * HOUR;

/** A graph from follower → followees, lists in follower order, each list's created_at given. */
function graphOf(lists: Record<number, { follows: number[]; at: number }>): {
  graph: FollowGraph;
  createdAt: Int32Array;
} {
  const followers = Object.keys(lists)
    .map(Number)
    .sort((a, b) => a - b);
  const offsets = [0];
  const followees: number[] = [];
  const createdAt: number[] = [];
  let size = 0;
  for (const f of followers) {
    const { follows, at } = lists[f] ?? { follows: [], at: 0 };
    followees.push(...[...follows].sort((a, b) => a - b));
    offsets.push(followees.length);
    createdAt.push(at);
    size = Math.max(size, f + 1, ...follows.map((v) => v + 1));
  }
  return {
    graph: {
      followers: Int32Array.from(followers),
      offsets: Int32Array.from(offsets),
      followees: Int32Array.from(followees),
      size,
    },
    createdAt: Int32Array.from(createdAt),
  };
}

/** The same graph with its lists stored in descending follower order. */
function reverseLists(graph: FollowGraph): FollowGraph {
  const n = graph.followers.length;
  const offsets = [0];
  const followees: number[] = [];
  for (let i = n - 1; i >= 0; i--) {
    followees.push(...graph.followees.subarray(graph.offsets[i] ?? 0, graph.offsets[i + 1] ?? 0));
    offsets.push(followees.length);
  }
  return {
    followers: graph.followers.slice().reverse(),
    offsets: Int32Array.from(offsets),
    followees: Int32Array.from(followees),
    size: graph.size,
  };
}

const noTrust = { ids: new Int32Array(0), scores: new Float64Array(0) };

// Five lists of 2, 2, 1, 4 and 0 follows, published 1 hour, 2, 20, 60 and 400 days ago.
//   followers: 1 ← 2, 3, 4 (3); 2 ← 1, 4 (2); 3 ← 1, 2, 4 (3); 5 ← 4 (1); 4 ← nobody.
//   mutual: 1↔2 and 1↔3 (four follows of nine); 2→3, 4→1, 4→2, 4→3, 4→5 are not returned.
const SMALL = graphOf({
  1: { follows: [2, 3], at: NOW_SEC - HOUR },
  2: { follows: [1, 3], at: NOW_SEC - 2 * DAY },
  3: { follows: [1], at: NOW_SEC - 20 * DAY },
  4: { follows: [1, 2, 3, 5], at: NOW_SEC - 60 * DAY },
  5: { follows: [], at: NOW_SEC - 400 * DAY },
});

describe('histogramRank', () => {
  it('is the nearest-rank percentile: the smallest value with at least p % at or below it', () => {
    // Values 1, 2, 3, 3.
    const counts = Int32Array.from([0, 1, 1, 2]);
    expect(histogramRank(counts, 4, 50)).toBe(2);
    expect(histogramRank(counts, 4, 51)).toBe(3);
    expect(histogramRank(counts, 4, 90)).toBe(3);
    expect(histogramRank(counts, 4, 0)).toBe(1);
    expect(histogramRank(new Int32Array(1), 0, 50)).toBeNull();
  });
});

describe('computeGraphStats', () => {
  it('counts lists, follows, followers and mutual follows of a hand-built graph', () => {
    const stats = computeGraphStats(SMALL.graph, SMALL.createdAt, noTrust, NOW);
    expect(computeGraphStats(reverseLists(SMALL.graph), SMALL.createdAt, noTrust, NOW).mutual_pct).toBe(
      44.44,
    );
    expect(stats.lists).toBe(5);
    expect(stats.edges).toBe(9);
    expect(stats.mutual_pct).toBe(44.44);
    expect(stats.followers).toEqual({
      followed_keys: 4,
      buckets: [
        { min: 1, max: 1, keys: 1 },
        { min: 2, max: 9, keys: 3 },
        { min: 10, max: 99, keys: 0 },
        { min: 100, max: 999, keys: 0 },
        { min: 1000, max: 9999, keys: 0 },
        { min: 10000, max: null, keys: 0 },
      ],
      // Followers of followed keys: 1, 2, 3, 3.
      median: 2,
      p90: 3,
      max: 3,
    });
    expect(stats.top_trusted).toEqual([]);
  });

  it('gives each range the lists published in it and their nearest-rank sizes', () => {
    const { ranges } = computeGraphStats(SMALL.graph, SMALL.createdAt, noTrust, NOW);
    expect(ranges).toEqual({
      '24h': { lists_published: 1, follows_per_list: { median: 2, p90: 2, mean: 2 } },
      '7d': { lists_published: 2, follows_per_list: { median: 2, p90: 2, mean: 2 } },
      // Sizes 1, 2, 2.
      '30d': { lists_published: 3, follows_per_list: { median: 2, p90: 2, mean: 1.7 } },
      // Sizes 1, 2, 2, 4: the 90th percentile is the 4th of 4.
      '90d': { lists_published: 4, follows_per_list: { median: 2, p90: 4, mean: 2.3 } },
      // Sizes 0, 1, 2, 2, 4: an empty list counts as a list of no follows.
      all: { lists_published: 5, follows_per_list: { median: 2, p90: 4, mean: 1.8 } },
    });
  });

  it('counts a list from the first second of the range window, not the second before', () => {
    // 24h starts 24 hours before the 5-minute slot holding NOW (12:00), 7d at 13:00 167 hours back.
    const start24h = Date.parse('2026-12-05T12:00:00Z') / 1000;
    const start7d = Date.parse('2026-11-29T13:00:00Z') / 1000;
    const { graph, createdAt } = graphOf({
      1: { follows: [2], at: start24h },
      2: { follows: [1, 3, 4], at: start24h - 1 },
      3: { follows: [1], at: start7d },
      4: { follows: [1], at: start7d - 1 },
      // From the future: counted, as the newest list wins anyway.
      5: { follows: [1, 2, 3, 4, 6, 7], at: NOW_SEC + DAY },
    });
    const { ranges } = computeGraphStats(graph, createdAt, noTrust, NOW);
    expect(ranges['24h']).toEqual({ lists_published: 2, follows_per_list: { median: 1, p90: 6, mean: 3.5 } });
    expect(ranges['7d'].lists_published).toBe(4);
    expect(ranges.all.lists_published).toBe(5);
  });

  it('counts a mutual follow once per direction, and a follow of a key without a list as not returned', () => {
    const { graph, createdAt } = graphOf({
      1: { follows: [2, 9], at: NOW_SEC },
      2: { follows: [1], at: NOW_SEC },
    });
    // 1→2 and 2→1 are returned; 1→9 is not (9 has no list).
    expect(computeGraphStats(graph, createdAt, noTrust, NOW).mutual_pct).toBe(66.67);
    expect(computeGraphStats(reverseLists(graph), createdAt, noTrust, NOW).mutual_pct).toBe(66.67);
  });

  it('counts mutual follows the same whatever the order of the lists, as a direct count does', () => {
    // A random graph of 300 keys, 250 with lists, in follower order and then shuffled (binary search).
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const lists: Record<number, { follows: number[]; at: number }> = {};
    for (let f = 0; f < 250; f++) {
      const follows = new Set<number>();
      const n = Math.floor(next() * 40);
      for (let k = 0; k < n; k++) follows.add(Math.floor(next() * next() * 300));
      follows.delete(f);
      lists[f] = { follows: [...follows], at: NOW_SEC };
    }
    const edges = new Set<string>();
    for (const [f, { follows }] of Object.entries(lists)) for (const v of follows) edges.add(`${f}>${v}`);
    let mutual = 0;
    for (const e of edges) {
      const [u, v] = e.split('>');
      if (edges.has(`${v}>${u}`)) mutual++;
    }
    expect(mutual).toBeGreaterThan(10);
    const expected = Math.round((mutual / edges.size) * 10_000) / 100;
    const { graph, createdAt } = graphOf(lists);
    expect(computeGraphStats(graph, createdAt, noTrust, NOW).mutual_pct).toBe(expected);
    const reversed = reverseLists(graph);
    expect(computeGraphStats(reversed, createdAt.slice().reverse(), noTrust, NOW).mutual_pct).toBe(expected);
  });

  it('lists the trusted keys with the most followers, most first, ties to the lower id', () => {
    const trusted = {
      ids: Int32Array.from([1, 2, 3, 4, 5]),
      scores: Float64Array.from([0.5, 0.2, 0.1, 0.1, 0.1]),
    };
    const { top_trusted } = computeGraphStats(SMALL.graph, SMALL.createdAt, trusted, NOW);
    expect(top_trusted).toEqual([
      { id: 1, followers: 3, score: 0.5 },
      { id: 3, followers: 3, score: 0.1 },
      { id: 2, followers: 2, score: 0.2 },
      { id: 5, followers: 1, score: 0.1 },
      { id: 4, followers: 0, score: 0.1 },
    ]);
  });

  it('keeps exactly 100 trusted keys, the tie at the cut going to the lower id', () => {
    // Keys 1000 + k (k = 0..150) have floor(k / 2) followers (followers 1..75): key 1150 has 75,
    // then pairs of equal counts down to 0. The top 100 are 1150, the 49 pairs from 74 down to 26
    // (1052..1149), and of the pair with 25 (1050, 1051) only the lower, 1050.
    const lists: Record<number, { follows: number[]; at: number }> = {};
    for (let f = 1; f <= 75; f++) {
      const follows: number[] = [];
      for (let k = 0; k <= 150; k++) if (Math.floor(k / 2) >= f) follows.push(1000 + k);
      lists[f] = { follows, at: NOW_SEC };
    }
    const { graph, createdAt } = graphOf(lists);
    const ids = Int32Array.from({ length: 151 }, (_, k) => 1000 + k);
    const scores = Float64Array.from({ length: 151 }, (_, k) => k / 1000);
    const { top_trusted } = computeGraphStats(graph, createdAt, { ids, scores }, NOW);
    expect(top_trusted).toHaveLength(100);
    expect(top_trusted[0]).toEqual({ id: 1150, followers: 75, score: 0.15 });
    expect(top_trusted.slice(1, 3).map((t) => t.id)).toEqual([1148, 1149]);
    expect(top_trusted.at(-2)).toEqual({ id: 1053, followers: 26, score: 0.053 });
    expect(top_trusted.at(-1)).toEqual({ id: 1050, followers: 25, score: 0.05 });
    expect(top_trusted.some((t) => t.id === 1051)).toBe(false);
    const followers = top_trusted.map((t) => t.followers);
    expect(followers).toEqual([...followers].sort((a, b) => b - a));
  });

  it('answers an empty graph with zeros and nulls', () => {
    const empty = {
      followers: new Int32Array(0),
      offsets: Int32Array.from([0]),
      followees: new Int32Array(0),
      size: 0,
    };
    const stats = computeGraphStats(empty, new Int32Array(0), noTrust, NOW);
    expect(stats.lists).toBe(0);
    expect(stats.edges).toBe(0);
    expect(stats.mutual_pct).toBe(0);
    expect(stats.followers.followed_keys).toBe(0);
    expect(stats.followers.buckets.every((b) => b.keys === 0)).toBe(true);
    expect(stats.followers).toMatchObject({ median: null, p90: null, max: null });
    expect(stats.top_trusted).toEqual([]);
    for (const r of Object.values(stats.ranges))
      expect(r).toEqual({ lists_published: 0, follows_per_list: null });
  });
});
