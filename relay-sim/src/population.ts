import type { NostrEvent } from '@nostr-info/shared/nostr';
import { type PopulationKey, signPopulation } from './population-events.js';
import { buildPopulationGraph } from './population-graph.js';
import { type PopulationOptions, resolvePopulation } from './population-options.js';
import { populationTruth } from './population-truth.js';
import type { Population, PopulationPlacement } from './population-types.js';
import { deriveSecretKey } from './rng.js';
import type { SimNetwork } from './sim-network.js';

export { buildPopulationGraph } from './population-graph.js';
export type { PopulationOptions, PopulationSettings } from './population-options.js';
export type {
  AccountLabel,
  AccountTruth,
  Population,
  PopulationGraph,
  PopulationPlacement,
  PopulationTruth,
} from './population-types.js';

/**
 * A social graph to test a web of trust against: organic users with heavy-tailed follower counts,
 * reciprocity and a few well-known accounts, beside bot farms whose fresh keys follow each other in
 * cliques and follow popular organic users; all post notes and react. Every event is signed, ids
 * are the same for the same seed and `now`, and the truth labels every pubkey (see
 * `PopulationOptions` for the parameters and their defaults, `PopulationTruth` for the labels).
 */
export function generatePopulation(options: PopulationOptions): Population {
  const s = resolvePopulation(options);
  const graph = buildPopulationGraph(s);
  const keys: PopulationKey[] = graph.follows.map((_, a) => {
    const secret =
      a < s.organic ? deriveSecretKey(s.seed, 'organic', a) : deriveSecretKey(s.seed, 'bot', a - s.organic);
    return { secret, pubkey: options.signer.publicKey(secret) };
  });
  const byAccount = signPopulation(s, graph, keys, options.signer);
  const organic = byAccount.slice(0, s.organic).flat();
  const farms: NostrEvent[][] = Array.from({ length: s.farms }, () => []);
  graph.farmOfBot.forEach((farm, b) => {
    farms[farm]?.push(...(byAccount[s.organic + b] ?? []));
  });
  const allSlots = Array.from({ length: s.relays }, (_, i) => i);
  const placements: PopulationPlacement[] = [
    { relays: allSlots, events: organic.sort(byTime) },
    ...farms.map((events, f) => ({ relays: s.farmRelays[f] ?? [], events: events.sort(byTime) })),
  ];
  return {
    events: byAccount.flat().sort(byTime),
    placements,
    truth: populationTruth(s, graph, keys, byAccount),
    settings: s,
  };
}

/**
 * Publishes a population on a simulated network, slot i on relay i, each placement in created_at
 * order; every event is a valid copy on the relays of its placement. Returns the copies taken.
 * For `startSimNetwork({ corpus })` or real relays, use `population.events` or the placements.
 */
export function publishPopulation(net: Pick<SimNetwork, 'publish'>, population: Population): number {
  let copies = 0;
  for (const { relays, events } of population.placements) copies += net.publish(events, relays);
  return copies;
}

function byTime(a: NostrEvent, b: NostrEvent): number {
  return a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
