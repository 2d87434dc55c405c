import type { OffFilterReason } from '@nostr-info/shared/nostr';
import type { ZapRejectReason } from '@nostr-info/shared/stats';
import type { RelayMode, ReqAnswer } from './types.js';

/**
 * Which copies the truth counts.
 * - `delivered` (default): copies a relay actually wrote to a socket as `["EVENT", <sub>, …]` for an
 *   open subscription (stored-event replay or live), deduplicated per relay by event id. This is
 *   what a collector that reads every frame it is sent must count.
 * - `emitted`: every copy each relay accepted into its history, whether or not anyone was
 *   subscribed (what a collector would see if it never missed anything).
 */
export type TruthScope = 'delivered' | 'emitted';

/** Options of `truth()`. */
export interface TruthOptions {
  scope?: TruthScope;
  /** Zap amounts above this (sats) are flagged, not summed. Default 100,000,000 (1 BTC). */
  maxPlausibleSats?: number;
  /** Zap amounts below this (sats) are flagged too. Default 0 (none). */
  minPlausibleSats?: number;
}

/** Per-relay truth. "Copy" = one relay's copy of one event id, counted once per relay. */
export interface RelayTruth {
  url: string;
  mode: RelayMode;
  /** Distinct ids this relay sent with a valid id and signature, by kind. */
  validByKind: Record<number, number>;
  valid: number;
  /** Distinct ids this relay sent only with a broken signature or id, by kind of the original. */
  invalidByKind: Record<number, number>;
  invalid: number;
  invalidBySignature: number;
  invalidById: number;
  /** Raw `EVENT` frames written for subscriptions, repeats included (not deduplicated). */
  eventFrames: number;
  /** Non-JSON or wrong-shaped frames sent in `garbage` mode (never events; not in `invalid`). */
  garbageFrames: number;
  /** Frames over `oversizedBytes` sent in `oversized` mode; their events are NOT in any count. */
  oversizedFrames: number;
  /**
   * `flood` junk events sent: kind 1, each with its own id that is not the event's hash. Already
   * included in `invalid`, `invalidByKind[1]` and `invalidById` (and in the network's
   * `invalidOnly`), in both scopes.
   */
  floodJunk: number;
  /** `CLOSED` messages sent (auth-required answers and unprompted closes). */
  closedSent: number;
  /** `NOTICE` messages sent in `notice` mode (answers to broken client frames are not counted). */
  noticesSent: number;
  /** NIP-42 challenges sent. */
  authChallenges: number;
  /** Events not sent because the socket's send buffer was over the limit (client too slow). */
  droppedSlowConsumer: number;
  /** REQ frames received (a `silent-after-open` relay counts the ones it ignores). */
  reqsReceived: number;
  /** EOSE frames sent: REQs answered. */
  eoseSent: number;
  /** Pings answered. */
  pongsSent: number;
  /**
   * What the relay did with the last REQ it received (null: none came): a collector shows it
   * `online` for `eose`, `auth_required` / `payment_required` for those refusals, and
   * `unresponsive` for `none` once its answer timeout has passed.
   */
  lastReqAnswer: ReqAnswer | null;
  /**
   * Distinct ids this relay sent valid that at least one other relay also sent valid (in scope):
   * the relay's share of events the rest of the network corroborates. A relay streaming events
   * nobody else carries has 0.
   */
  corroborated: number;
  /**
   * Distinct ids this relay sent outside the subscription that carried them (`off-filter` mode), by
   * the first rule they break: a subscription id it was never given, a kind not asked for, a
   * created_at below `since` (or above a page's `until`). Never in `valid` nor any network figure.
   */
  offFilter: Record<OffFilterReason, number>;
}

/**
 * Zap receipts judged per NIP-57, as the collector counts them (see `ZapVerdictTally`): accepted
 * receipts (each payment once) and the rest by the first check they fail.
 */
export interface ZapVerdictTruth {
  accepted: number;
  acceptedMsats: number;
  acceptedSats: number;
  /** Distinct zap request pubkeys of accepted receipts; every anonymous zap is one sender. */
  acceptedSenders: number;
  acceptedReceivers: number;
  /** Every reason, zero-filled; `unverified` counts each payment once, like `unverified.count`. */
  rejected: Record<ZapRejectReason, number>;
  /** Receipts whose recipient's provider key could not be learned, each payment once. */
  unverified: { count: number; msats: number; sats: number };
}

/**
 * Zap figures over network-unique valid kind 9735 events: what their invoices say (amounts,
 * multipliers, parties), and their NIP-57 verdicts (`ZapVerdictTruth`).
 */
export interface ZapTruth extends ZapVerdictTruth {
  /** Network-unique valid kind-9735 events. */
  receipts: number;
  /** Receipts whose bolt11 decodes and carries an amount. */
  withAmount: number;
  /** Receipts whose bolt11 decodes but has no amount (neither summed nor flagged). */
  noAmount: number;
  /** Receipts whose bolt11 tag is missing or does not decode. */
  invalidBolt11: number;
  /** Receipts with an amount inside [minPlausibleSats, maxPlausibleSats]: counted and summed. */
  plausible: number;
  plausibleSats: number;
  plausibleMsats: number;
  /** Receipts with an amount outside the plausible range: counted here, never summed. */
  flagged: number;
  /** Amount-bearing receipts by bolt11 multiplier (`m`, `u`, `n`, `p`, `btc` = no multiplier letter). */
  byMultiplier: Record<string, number>;
  /**
   * Distinct senders over all receipts: the `P` tag, else the pubkey of the zap request embedded
   * in `description`; receipts with neither have no sender.
   */
  senders: number;
  /** Distinct receivers over all receipts: the first `p` tag. */
  receivers: number;
}

/** Figures of one NIP-89 client. */
export interface ClientTruth {
  /** Network-unique valid events whose FIRST `client` tag value, trimmed and lower-cased, is this. */
  events: number;
  /** Distinct pubkeys among those events. */
  users: number;
}

/** Network-unique events counted apart for their timing, in total and by kind. */
export interface TimedTruth {
  total: number;
  byKind: Record<number, number>;
}

/**
 * The exact ground truth of a simulated network. Network-wide figures are over "network-unique
 * valid events": ids for which at least one relay's copy (in the chosen scope) was valid. An id
 * that only ever appeared as invalid copies counts in its relays' `invalid` and nowhere else.
 * Events that came late or from the future are counted apart (see `late`, `future`).
 */
export interface GroundTruth {
  scope: TruthScope;
  relays: Record<string, RelayTruth>;
  uniqueByKind: Record<number, number>;
  unique: number;
  /** Ids seen only as invalid copies on every relay that sent them. */
  invalidOnly: number;
  /** Distinct pubkeys (authors) of network-unique valid events. */
  pubkeys: number;
  /**
   * Distinct authors of network-unique valid events other than zap receipts: receipt signers are
   * wallet services, never users (the collector's active and new users).
   */
  userPubkeys: number;
  clients: Record<string, ClientTruth>;
  /** Network-unique valid events with no usable `client` tag. */
  withoutClient: number;
  zaps: ZapTruth;
  /**
   * Distinct (pubkey, d tag) long-form articles (kind 30023) their author has not deleted, and the
   * raw versions seen. Deleted (NIP-09, by the author only): an `a` tag `30023:<own pubkey>:<d>`
   * from a deletion created at or after the latest version, or an `e` tag naming the latest
   * version (from a deletion whose `k` tags name 30023 or nothing), in whatever order they came.
   */
  articles: number;
  articleVersions: number;
  /** Distinct articles their author deleted: out of `articles`. */
  articlesDeleted: number;
  /**
   * Network-unique deletions (kind 5) in time (not late or future), and the same by the kinds their
   * `k` tags name (integers 0–65535, each once per deletion; `unknown` for a deletion naming none).
   */
  deletions: { total: number; byKind: Record<string, number> };
  /**
   * Network-unique valid events whose first delivery came over `LATE_AFTER_SECONDS` after their
   * created_at (`late`) or over `FUTURE_AFTER_SECONDS` before it (`future`): in no other
   * network-wide figure (`unique`, users, clients, zaps, articles, discovery, deletions by kind),
   * except the latest replaceable events and the deletions they request. None in scope
   * `emitted`, which has no delivery time.
   */
  late: TimedTruth;
  future: TimedTruth;
  /** Off-filter copies over all relays, by reason (the sum of each relay's `offFilter`). */
  offFilter: Record<OffFilterReason, number>;
  /**
   * Latest replaceable event per `"<kind>:<pubkey>"` for kinds 0, 3 and 10002: greatest
   * created_at, ties broken by the lowest id (NIP-01).
   */
  replaceable: Record<string, { id: string; created_at: number }>;
  /** Distinct pubkeys with a replaceable event, by kind. */
  replaceableByKind: Record<number, number>;
  /**
   * Relay URLs named by network-unique valid kind 10002 `r` tags and kind 3 relay-map keys, by the
   * collector's rule (`normalizeRelayUrl(url, { rejectPrivate: true })` of `@nostr-info/shared`):
   * normalised (lower-case scheme/host, no default port, no trailing slash), with non-ws(s),
   * loopback, private and malformed URLs removed; sorted.
   */
  discoveredRelays: string[];
  /** Relay-list entries rejected by those rules (counted per occurrence in unique events). */
  rejectedRelayUrls: number;
  /**
   * Per accepted relay URL, the distinct pubkeys whose LATEST relay list (kind 10002) or LATEST
   * kind 3 relay map (greatest created_at, ties to the lowest id) names it: a key publishing a
   * thousand versions counts once, a URL its latest list dropped not at all.
   */
  discoveryAuthors: Record<string, number>;
}
