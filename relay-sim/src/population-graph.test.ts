import { describe, expect, it } from 'vitest';
import { farmSizes } from './population-farms.js';
import { buildPopulationGraph, organicReciprocity } from './population-graph.js';
import { type PopulationOptions, resolvePopulation } from './population-options.js';
import type { PopulationGraph } from './population-types.js';
import { Rng } from './rng.js';
import { exponentialCount, ZipfSampler } from './zipf-sampler.js';

const graphOf = (o: Omit<PopulationOptions, 'signer'> = {}) => buildPopulationGraph(resolvePopulation(o));

/** Share of organic→organic follows held by the top 1 % of organic users by organic followers. */
function topPercentShare(g: PopulationGraph): number {
  const inDegree = new Array<number>(g.organic).fill(0);
  let total = 0;
  for (let a = 0; a < g.organic; a++)
    for (const b of g.follows[a] ?? [])
      if (b < g.organic) {
        inDegree[b] = (inDegree[b] ?? 0) + 1;
        total++;
      }
  const top = inDegree.sort((x, y) => y - x).slice(0, Math.ceil(g.organic / 100));
  return top.reduce((x, y) => x + y, 0) / total;
}

describe('population graph', () => {
  const g = graphOf({ seed: 'graph' });

  it('gives heavy-tailed follower counts, and not with a flat popularity', () => {
    expect(topPercentShare(g)).toBeGreaterThanOrEqual(0.25);
    expect(topPercentShare(graphOf({ seed: 'graph', zipfExponent: 0 }))).toBeLessThan(0.05);
  });

  it('reaches the configured reciprocity', () => {
    const r = organicReciprocity(g);
    expect(Math.abs(r.mutual / r.follows - 0.3)).toBeLessThanOrEqual(0.05);
    const low = organicReciprocity(graphOf({ seed: 'graph', reciprocity: 0.15 }));
    expect(Math.abs(low.mutual / low.follows - 0.15)).toBeLessThanOrEqual(0.05);
  });

  it('has bots follow only their farm and organic users, their whole clique included', () => {
    const s = resolvePopulation({ seed: 'graph' });
    expect(g.farmOfBot).toHaveLength(5000);
    g.farmOfBot.forEach((farm, b) => {
      const list = [...(g.follows[s.organic + b] ?? [])];
      const mates = list.filter((x) => x >= s.organic);
      expect(mates.every((x) => g.farmOfBot[x - s.organic] === farm)).toBe(true);
      // Cliques are runs of `cliqueSize` keys counted from the farm's first bot.
      const first = g.farmOfBot.indexOf(farm);
      const cliqueOf = (x: number) => Math.floor((x - first) / s.cliqueSize);
      const clique = mates.filter((x) => cliqueOf(x - s.organic) === cliqueOf(b));
      expect(clique.length).toBeGreaterThanOrEqual(s.cliqueSize - 1);
      expect(list.length - mates.length).toBe(s.botOrganicFollows);
    });
  });

  it('lets only a tiny share of organic users follow a bot back, each a bot that follows them', () => {
    const backs: [number, number][] = [];
    for (let u = 0; u < g.organic; u++)
      for (const b of g.follows[u] ?? []) if (b >= g.organic) backs.push([u, b]);
    expect(backs.length).toBeGreaterThan(0);
    expect(backs.length).toBeLessThanOrEqual(50);
    for (const [u, b] of backs) expect(g.follows[b]?.has(u)).toBe(true);
  });

  it('gives the well-known accounts a profile and a follow list, and splits farms evenly', () => {
    for (let a = 0; a < 10; a++) expect([g.hasProfile[a], g.hasFollowList[a]]).toEqual([true, true]);
    expect(farmSizes(10, 3)).toEqual([4, 3, 3]);
  });
});

describe('samplers', () => {
  it('draws Zipf rank 1 about twice as often as rank 2 with exponent 1', () => {
    const rng = new Rng('zipf');
    const z = new ZipfSampler(100, 1);
    const hits = [0, 0];
    for (let i = 0; i < 20_000; i++) {
      const k = z.draw(rng);
      if (k < 2) hits[k] = (hits[k] ?? 0) + 1;
    }
    expect((hits[0] ?? 0) / (hits[1] ?? 1)).toBeCloseTo(2, 0);
  });

  it('draws exponential counts with the asked mean', () => {
    const rng = new Rng('exp');
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += exponentialCount(rng, 3);
    expect(sum / 20_000).toBeCloseTo(3, 0);
  });
});
