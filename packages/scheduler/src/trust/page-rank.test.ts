import { describe, expect, it } from 'vitest';
import { type FollowGraph, personalisedPageRank } from './page-rank.js';

/** A graph from follower → followees. */
function graphOf(lists: Record<number, number[]>): FollowGraph {
  const ids = Object.keys(lists)
    .map(Number)
    .sort((a, b) => a - b);
  const offsets = [0];
  const followees: number[] = [];
  let size = 0;
  for (const id of ids) {
    for (const f of lists[id] ?? []) {
      followees.push(f);
      size = Math.max(size, f + 1);
    }
    offsets.push(followees.length);
    size = Math.max(size, id + 1);
  }
  return {
    followers: Int32Array.from(ids),
    offsets: Int32Array.from(offsets),
    followees: Int32Array.from(followees),
    size,
  };
}

describe('personalised PageRank', () => {
  it('gives a clique that only follows out nothing, and keeps the total at 1', () => {
    const bots = [6, 7, 8];
    const lists: Record<number, number[]> = { 1: [2, 3], 2: [3], 3: [1, 4], 4: [] };
    for (const b of bots) lists[b] = [...bots.filter((x) => x !== b), 1, 2, 5];
    const { scores } = personalisedPageRank(graphOf(lists), [1], { damping: 0.85, iterations: 200 });
    for (const b of [...bots, 5]) expect(scores[b]).toBe(0);
    for (const o of [1, 2, 3, 4]) expect(scores[o]).toBeGreaterThan(0.05);
    expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('matches the closed form of a two-key cycle', () => {
    // 1 ⇄ 2 from seed 1: s1 = (1 - d) + d·s2 and s2 = d·s1, so s1 = 1 / (1 + d).
    const d = 0.85;
    const { scores, iterations } = personalisedPageRank(graphOf({ 1: [2], 2: [1] }), [1], {
      damping: d,
      iterations: 1000,
    });
    expect(scores[1]).toBeCloseTo(1 / (1 + d), 10);
    expect(scores[2]).toBeCloseTo(d / (1 + d), 10);
    expect(iterations).toBeLessThan(1000);
  });

  it('returns the score of a key without a list to the seeds', () => {
    // 1 → 2, and 2 has no list: s2 = d·s1, and everything else returns to seed 1: s1 = 1 − s2.
    const d = 0.5;
    const { scores } = personalisedPageRank(graphOf({ 1: [2] }), [1], { damping: d, iterations: 200 });
    expect(scores[1]).toBeCloseTo(1 / (1 + d), 10);
    expect(scores[2]).toBeCloseTo(d / (1 + d), 10);
  });
});
