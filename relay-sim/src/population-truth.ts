import type { NostrEvent } from '@nostr-info/shared/nostr';
import type { PopulationKey } from './population-events.js';
import { organicReciprocity } from './population-graph.js';
import type { PopulationSettings } from './population-options.js';
import type { AccountTruth, PopulationGraph, PopulationTruth } from './population-types.js';

/** The ground truth of a population, from its graph and the events signed for each account. */
export function populationTruth(
  s: PopulationSettings,
  graph: PopulationGraph,
  keys: readonly PopulationKey[],
  byAccount: readonly NostrEvent[][],
): PopulationTruth {
  const pubkeyOf = (a: number): string => keys[a]?.pubkey ?? '';
  const followers = new Array<number>(keys.length).fill(0);
  const organicFollowers = new Array<number>(keys.length).fill(0);
  graph.follows.forEach((list, a) => {
    for (const b of list) {
      followers[b] = (followers[b] ?? 0) + 1;
      if (a < s.organic) organicFollowers[b] = (organicFollowers[b] ?? 0) + 1;
    }
  });
  const accounts: Record<string, AccountTruth> = {};
  const farms: string[][] = Array.from({ length: s.farms }, () => []);
  const profiled = { organic: 0, bot: 0 };
  let organicFollowsOfBots = 0;
  keys.forEach((key, a) => {
    const farm = graph.farmOfBot[a - s.organic];
    const label = farm === undefined ? 'organic' : 'bot';
    const hasProfile = graph.hasProfile[a] === true;
    const hasFollowList = graph.hasFollowList[a] === true;
    const follows = [...(graph.follows[a] ?? [])];
    if (hasProfile && hasFollowList) profiled[label]++;
    if (farm === undefined) organicFollowsOfBots += follows.filter((b) => b >= s.organic).length;
    else farms[farm]?.push(key.pubkey);
    accounts[key.pubkey] = {
      label,
      farm: farm ?? null,
      hasProfile,
      hasFollowList,
      follows: follows.map(pubkeyOf),
      followers: followers[a] ?? 0,
      organicFollowers: organicFollowers[a] ?? 0,
    };
  });
  const organic = keys.slice(0, s.organic).map((k) => k.pubkey);
  const seeds = organic
    .filter((p) => accounts[p]?.hasProfile && accounts[p]?.hasFollowList)
    .map((p) => ({ p, n: accounts[p]?.organicFollowers ?? 0 }))
    .sort((x, y) => y.n - x.n || (x.p < y.p ? -1 : 1))
    .slice(0, s.seedSize)
    .map((x) => x.p);
  const reciprocity = organicReciprocity(graph);
  const counts: Record<'all' | 'organic' | 'bot', Record<number, number>> = { all: {}, organic: {}, bot: {} };
  byAccount.forEach((events, a) => {
    const byLabel = a < s.organic ? counts.organic : counts.bot;
    for (const ev of events) {
      counts.all[ev.kind] = (counts.all[ev.kind] ?? 0) + 1;
      byLabel[ev.kind] = (byLabel[ev.kind] ?? 0) + 1;
    }
  });
  return {
    accounts,
    organic,
    farms,
    wellKnown: organic.slice(0, s.wellKnown),
    seeds,
    profiledOrganic: profiled.organic,
    profiledBots: profiled.bot,
    organicFollows: reciprocity.follows,
    mutualOrganicFollows: reciprocity.mutual,
    reciprocity: reciprocity.follows === 0 ? 0 : reciprocity.mutual / reciprocity.follows,
    organicFollowsOfBots,
    eventsByKind: counts.all,
    organicEventsByKind: counts.organic,
    botEventsByKind: counts.bot,
  };
}
