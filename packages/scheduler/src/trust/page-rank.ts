/**
 * The follow graph in compressed rows: list `i` belongs to `followers[i]` and names
 * `followees[offsets[i]]` up to `followees[offsets[i + 1]]`. Nodes are `pubkey_ids` ids, so every
 * array is typed and the graph of 50 M edges fits in a few hundred MB.
 */
export interface FollowGraph {
  followers: Int32Array;
  offsets: Int32Array;
  followees: Int32Array;
  /** One more than the largest node id. */
  size: number;
}

/** Parameters of the trust computation (see docs/methodology.md, web of trust). */
export interface PageRankOptions {
  /** Share of a key's score passed on to the keys it follows; the rest returns to the seeds. */
  damping: number;
  /** Most rounds. */
  iterations: number;
  /** Stop once the scores moved by less than this in total (sum of absolute changes) in a round. */
  tolerance?: number;
  /**
   * Scores to start from (an earlier computation's, on a graph that has changed a little since)
   * instead of the seeds alone. The result is the same within `tolerance`; it takes fewer rounds.
   */
  start?: Float64Array;
}

/** Scores of every node (summing to 1) and the rounds it took. */
export interface PageRankResult {
  scores: Float64Array;
  iterations: number;
}

/**
 * Personalised PageRank from `seeds`: a random walk that starts at a seed, follows a random
 * followee of the current key with probability `damping`, and otherwise jumps back to a seed. A
 * key's score is how often the walk is there. Keys the seeds' region never follows get nothing,
 * however densely they follow each other or the seeds: trust flows only along follows given.
 * A key without a follow list (or with an empty one) returns its whole score to the seeds.
 */
export function personalisedPageRank(
  graph: FollowGraph,
  seeds: readonly number[],
  { damping, iterations, tolerance = 1e-12, start }: PageRankOptions,
): PageRankResult {
  const { followers, offsets, followees, size } = graph;
  let scores = new Float64Array(size);
  if (seeds.length === 0) return { scores, iterations: 0 };
  const seedShare = 1 / seeds.length;
  let total = 0;
  if (start) {
    scores.set(start.subarray(0, size));
    for (let v = 0; v < size; v++) total += scores[v] ?? 0;
  }
  if (total > 0) for (let v = 0; v < size; v++) scores[v] = (scores[v] ?? 0) / total;
  else for (const s of seeds) scores[s] = (scores[s] ?? 0) + seedShare;
  let next = new Float64Array(size);
  let round = 0;
  while (round < iterations) {
    round += 1;
    next.fill(0);
    let passed = 0;
    // One pass over the lists in storage order; the share is computed once per list, so the inner
    // loop is one load and one add per edge.
    let from = offsets[0] ?? 0;
    for (let i = 0; i < followers.length; i++) {
      const to = offsets[i + 1] ?? from;
      const score = scores[followers[i] ?? 0] ?? 0;
      if (to > from && score > 0) {
        const share = (damping * score) / (to - from);
        for (let e = from; e < to; e++) {
          const v = followees[e] ?? 0;
          next[v] = (next[v] ?? 0) + share;
        }
        passed += damping * score;
      }
      from = to;
    }
    // Whatever was not passed along a follow (the jump back, and keys with no list) goes to the seeds.
    const back = (1 - passed) * seedShare;
    for (const s of seeds) next[s] = (next[s] ?? 0) + back;
    let moved = 0;
    for (let v = 0; v < size; v++) moved += Math.abs((next[v] ?? 0) - (scores[v] ?? 0));
    [scores, next] = [next, scores];
    if (moved < tolerance) break;
  }
  return { scores, iterations: round };
}
