import type { Signer } from './signer.js';

/** Options of `generatePopulation`; every field but `signer` has a default. */
export interface PopulationOptions {
  /** Seed for keys, the graph and every content choice (default "population"). */
  seed?: string;
  signer: Signer;
  /**
   * created_at of the newest event (unix seconds; default now). Pin it, with `seed`, for the same
   * ids run after run (signatures differ: Schnorr signing is randomised).
   */
  now?: number;
  /**
   * Every event is dated within this many seconds before `now` (default 1,800), less than the
   * collector's one-hour "late" rule, so the population counts as fresh when published at once.
   */
  spanSeconds?: number;

  /** Organic users (default 2,000); index 0 is the most popular (Zipf rank 1). */
  organic?: number;
  /** Share of organic users with a kind 0 profile (default 0.9). */
  organicProfileShare?: number;
  /** Share of organic users with a kind 3 follow list (default 0.85). */
  organicFollowListShare?: number;
  /**
   * Popularity of organic user of rank r is r^-zipfExponent (default 1.3): followees are drawn by
   * that weight, which gives heavy-tailed follower counts.
   */
  zipfExponent?: number;
  /** Follows per organic follow list: min + an exponential draw, mean `meanFollows` (3, 30, 500). */
  minFollows?: number;
  meanFollows?: number;
  maxFollows?: number;
  /**
   * Target share of organic→organic follows whose reverse follow also exists (default 0.3). Reached
   * by adding follow-backs; a share below what the popularity draw gives by chance stays at that.
   */
  reciprocity?: number;
  /**
   * The most popular organic accounts (default 10): always profiled and with a follow list, and
   * never asked to follow back (celebrities do not return follows).
   */
  wellKnown?: number;
  /**
   * Seed set size (default 20): the organic accounts with a profile and a follow list that have the
   * most organic followers (ties by pubkey), where a web of trust starts.
   */
  seedSize?: number;
  /** Mean notes (kind 1) and reactions (kind 7) per organic user (defaults 3 and 4). */
  notesPerUser?: number;
  reactionsPerUser?: number;

  /** Bot keys over all farms (default 5,000) and the number of farms (default 5). */
  botKeys?: number;
  farms?: number;
  /** Bots of a farm form cliques of this size, every member following every other (default 40). */
  cliqueSize?: number;
  /** Further random members of its own farm each bot follows (default 10). */
  farmFollows?: number;
  /** Organic accounts each bot follows, drawn by popularity (default 15). */
  botOrganicFollows?: number;
  /** Share of bots with a profile and with a follow list (defaults 1 and 1). */
  botProfileShare?: number;
  botFollowListShare?: number;
  /**
   * Share of organic users (with a follow list and followed by at least one bot) that follow one of
   * those bots back (default 0.01): real users sometimes do.
   */
  botFollowBackShare?: number;
  /** Mean notes and reactions per bot (defaults 1 and 2). */
  notesPerBot?: number;
  reactionsPerBot?: number;

  /** Relay slots the population is placed on (default 1): organic events go to every slot. */
  relays?: number;
  /** Relay slots per farm; default farm f on slot `f % relays` only. */
  farmRelays?: readonly (readonly number[])[];
}

/** `PopulationOptions` with every default applied. */
export type PopulationSettings = Required<Omit<PopulationOptions, 'farmRelays' | 'signer'>> & {
  farmRelays: number[][];
};

/** Applies the defaults documented on `PopulationOptions`. */
export function resolvePopulation(o: Omit<PopulationOptions, 'signer'>): PopulationSettings {
  const relays = Math.max(1, o.relays ?? 1);
  const farms = Math.max(1, o.farms ?? 5);
  const farmRelays = Array.from({ length: farms }, (_, f) => [...(o.farmRelays?.[f] ?? [f % relays])]);
  for (const slots of farmRelays)
    for (const s of slots) if (s < 0 || s >= relays) throw new RangeError(`no relay slot ${s}`);
  return {
    seed: o.seed ?? 'population',
    now: o.now ?? Math.floor(Date.now() / 1000),
    spanSeconds: Math.max(1, o.spanSeconds ?? 1800),
    organic: Math.max(2, o.organic ?? 2000),
    organicProfileShare: o.organicProfileShare ?? 0.9,
    organicFollowListShare: o.organicFollowListShare ?? 0.85,
    zipfExponent: o.zipfExponent ?? 1.3,
    minFollows: o.minFollows ?? 3,
    meanFollows: o.meanFollows ?? 30,
    maxFollows: o.maxFollows ?? 500,
    reciprocity: o.reciprocity ?? 0.3,
    wellKnown: o.wellKnown ?? 10,
    seedSize: o.seedSize ?? 20,
    notesPerUser: o.notesPerUser ?? 3,
    reactionsPerUser: o.reactionsPerUser ?? 4,
    botKeys: Math.max(0, o.botKeys ?? 5000),
    farms,
    cliqueSize: Math.max(2, o.cliqueSize ?? 40),
    farmFollows: o.farmFollows ?? 10,
    botOrganicFollows: o.botOrganicFollows ?? 15,
    botProfileShare: o.botProfileShare ?? 1,
    botFollowListShare: o.botFollowListShare ?? 1,
    botFollowBackShare: o.botFollowBackShare ?? 0.01,
    notesPerBot: o.notesPerBot ?? 1,
    reactionsPerBot: o.reactionsPerBot ?? 2,
    relays,
    farmRelays,
  };
}
