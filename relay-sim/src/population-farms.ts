import type { PopulationSettings } from './population-options.js';
import type { PopulationGraph } from './population-types.js';
import type { Rng } from './rng.js';
import type { ZipfSampler } from './zipf-sampler.js';

/** Bots per farm: an even split, the first farms taking one more when it does not divide. */
export function farmSizes(botKeys: number, farms: number): number[] {
  return Array.from({ length: farms }, (_, f) => Math.floor(botKeys / farms) + (f < botKeys % farms ? 1 : 0));
}

/**
 * Adds the bot farms to an organic graph, as sybil farms are seen to behave: every bot of a farm
 * follows every other member of its clique (consecutive runs of `cliqueSize` keys), some further
 * members of its own farm, and popular organic users (drawn by the same popularity as organic
 * follows, so the well-known get the most). Then each organic user with a follow list whom at least
 * one bot follows follows one of those bots back with `botFollowBackShare`.
 */
export function addFarms(
  s: PopulationSettings,
  rng: Rng,
  popularity: ZipfSampler,
  graph: PopulationGraph,
): void {
  let first = s.organic;
  farmSizes(s.botKeys, s.farms).forEach((size, farm) => {
    for (let k = 0; k < size; k++) {
      graph.farmOfBot.push(farm);
      graph.hasProfile.push(rng.chance(s.botProfileShare));
      graph.hasFollowList.push(rng.chance(s.botFollowListShare));
      graph.follows.push(new Set());
    }
    for (let k = 0; k < size; k++) {
      const list = graph.follows[first + k];
      if (!list || !graph.hasFollowList[first + k]) continue;
      const cliqueStart = k - (k % s.cliqueSize);
      for (let m = cliqueStart; m < Math.min(size, cliqueStart + s.cliqueSize); m++)
        if (m !== k) list.add(first + m);
      for (const m of rng.sample(size, s.farmFollows + 1)) if (m !== k) list.add(first + m);
      for (const u of popularity.distinct(rng, s.botOrganicFollows)) list.add(u);
    }
    first += size;
  });
  const botFollowers = new Map<number, number[]>();
  for (let b = s.organic; b < graph.follows.length; b++) {
    for (const u of graph.follows[b] ?? []) {
      if (u >= s.organic) continue;
      const list = botFollowers.get(u);
      if (list) list.push(b);
      else botFollowers.set(u, [b]);
    }
  }
  for (let u = 0; u < s.organic; u++) {
    const bots = botFollowers.get(u);
    if (!bots || !graph.hasFollowList[u]) continue;
    if (rng.chance(s.botFollowBackShare)) graph.follows[u]?.add(rng.pick(bots));
  }
}
