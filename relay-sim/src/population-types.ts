import type { NostrEvent } from '@nostr-info/shared/nostr';
import type { PopulationSettings } from './population-options.js';

/**
 * Who follows whom, by account index: organic users first (index 0 the most popular, Zipf rank 1),
 * then the bots, farm by farm.
 */
export interface PopulationGraph {
  organic: number;
  /** Farm of each bot, by bot index (account index − organic). */
  farmOfBot: number[];
  hasProfile: boolean[];
  hasFollowList: boolean[];
  /** Followees in follow-list order (empty without a follow list). */
  follows: Set<number>[];
}

/** The label a web of trust should reproduce. */
export type AccountLabel = 'organic' | 'bot';

/** What the generator knows about one pubkey. */
export interface AccountTruth {
  label: AccountLabel;
  /** Farm index of a bot; null for an organic user. */
  farm: number | null;
  hasProfile: boolean;
  hasFollowList: boolean;
  /** Followee pubkeys, in the order of its follow list (empty without one). */
  follows: string[];
  /** Accounts of the population whose follow list names it, and how many of them are organic. */
  followers: number;
  organicFollowers: number;
}

/** Ground truth of a generated population; every event of it is valid and signed. */
export interface PopulationTruth {
  /** Every pubkey of the population (authors and followees alike). */
  accounts: Record<string, AccountTruth>;
  /** Organic pubkeys by popularity rank (index 0 drawn most as a followee). */
  organic: string[];
  /** Bot pubkeys per farm. */
  farms: string[][];
  /** The `wellKnown` most popular organic accounts. */
  wellKnown: string[];
  /**
   * Where a web of trust starts: the `seedSize` organic accounts with a profile and a follow list
   * that have the most organic followers (ties by pubkey), most followed first.
   */
  seeds: string[];
  /** Organic users, and bots, with both a profile and a follow list. */
  profiledOrganic: number;
  profiledBots: number;
  /** Organic→organic follows, those whose reverse follow exists, and their share. */
  organicFollows: number;
  mutualOrganicFollows: number;
  reciprocity: number;
  /** Organic→bot follows (follow-backs of bots). */
  organicFollowsOfBots: number;
  /** Events by kind, over all, organic authors, bot authors. */
  eventsByKind: Record<number, number>;
  organicEventsByKind: Record<number, number>;
  botEventsByKind: Record<number, number>;
}

/** Events for a set of relay slots (slot i is relay index i of a network, or a URL of your list). */
export interface PopulationPlacement {
  relays: number[];
  events: NostrEvent[];
}

/** A generated population: its events, where they go, and its ground truth. */
export interface Population {
  /** Every event, by created_at then id. */
  events: NostrEvent[];
  /** The organic events on every slot, then one placement per farm on its slots. */
  placements: PopulationPlacement[];
  truth: PopulationTruth;
  settings: PopulationSettings;
}
