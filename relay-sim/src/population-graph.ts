import { addFarms } from './population-farms.js';
import type { PopulationSettings } from './population-options.js';
import type { PopulationGraph } from './population-types.js';
import { Rng } from './rng.js';
import { exponentialCount, shuffle, ZipfSampler } from './zipf-sampler.js';

/**
 * Builds the follow graph, without keys or events, so its shape can be checked cheaply:
 * 1. organic users get a profile and a follow list with their shares (the well-known always);
 * 2. each organic list draws its size (min + exponential) and its followees by Zipf popularity;
 * 3. follow-backs are added until the configured reciprocity is reached;
 * 4. the farms are added (`addFarms`): cliques, farm follows, follows of popular organic users,
 *    and the rare organic user who follows a bot back.
 */
export function buildPopulationGraph(s: PopulationSettings): PopulationGraph {
  const rng = new Rng(`${s.seed}:population-graph`);
  const popularity = new ZipfSampler(s.organic, s.zipfExponent);
  const graph: PopulationGraph = {
    organic: s.organic,
    farmOfBot: [],
    hasProfile: [],
    hasFollowList: [],
    follows: [],
  };
  for (let a = 0; a < s.organic; a++) {
    const famous = a < s.wellKnown;
    graph.hasProfile.push(famous || rng.chance(s.organicProfileShare));
    graph.hasFollowList.push(famous || rng.chance(s.organicFollowListShare));
    graph.follows.push(new Set());
  }
  for (let a = 0; a < s.organic; a++) {
    const list = graph.follows[a];
    if (!list || !graph.hasFollowList[a]) continue;
    const drawn = s.minFollows + exponentialCount(rng, s.meanFollows - s.minFollows);
    const size = Math.min(s.organic - 1, s.maxFollows, drawn);
    for (const b of popularity.distinct(rng, size, (i) => i === a)) list.add(b);
  }
  addFollowBacks(s, rng, graph);
  addFarms(s, new Rng(`${s.seed}:population-farms`), popularity, graph);
  return graph;
}

/**
 * Adds follow-backs, in a seeded order of the one-way organic follows, until `reciprocity` of the
 * organic→organic follows are mutual. The followed user must have a follow list with room, and is
 * never a well-known account: those are followed by most and follow back few.
 */
function addFollowBacks(s: PopulationSettings, rng: Rng, graph: PopulationGraph): void {
  const { follows, hasFollowList } = graph;
  let total = 0;
  let mutual = 0;
  const oneWay: [number, number][] = [];
  for (let a = 0; a < s.organic; a++) {
    for (const b of follows[a] ?? []) {
      total++;
      if (follows[b]?.has(a)) mutual++;
      else oneWay.push([a, b]);
    }
  }
  for (const [a, b] of shuffle(rng, oneWay)) {
    if (mutual >= s.reciprocity * total) break;
    const back = follows[b];
    if (!back || b < s.wellKnown || !hasFollowList[b] || back.size >= s.maxFollows || back.has(a)) continue;
    back.add(a);
    total++;
    mutual += 2;
  }
}

/** Organic→organic follows and how many of them are returned (the reverse follow exists). */
export function organicReciprocity(graph: PopulationGraph): { follows: number; mutual: number } {
  let follows = 0;
  let mutual = 0;
  for (let a = 0; a < graph.organic; a++) {
    for (const b of graph.follows[a] ?? []) {
      if (b >= graph.organic) continue;
      follows++;
      if (graph.follows[b]?.has(a)) mutual++;
    }
  }
  return { follows, mutual };
}
