import { ArticleTally } from './article-tally.js';
import { ClientTally } from './client-tally.js';
import { DeletionTally } from './deletion-tally.js';
import { KindTally } from './kind-tally.js';
import type { EventRegistry } from './registry.js';
import type { RelayLedger } from './relay-ledger.js';
import { RelayListTally } from './relay-list-tally.js';
import { relayTruth } from './relay-truth.js';
import { ReplaceableTally } from './replaceable-tally.js';
import { splitByTiming, sumOffFilter } from './truth-timing.js';
import type { GroundTruth, RelayTruth, TruthOptions } from './truth-types.js';
import { ZapTally } from './zap-tally.js';
import { type ProviderLookup, ZapVerdictTally } from './zap-verdict-tally.js';

/**
 * Computes the ground truth from the relays' ledgers (O(copies); call it when you compare):
 * 1. each relay's copies in scope, counted by `relayTruth`;
 * 2. the network-unique valid events (an id with a valid copy on any relay), each fed once to
 *    every network-wide tally when it came in time; late and future ones (by the collector's
 *    timing rule at their first delivery) only to the latest replaceable events and deletions;
 * 3. `invalidOnly`: ids no relay sent valid, plus every `flood` junk event;
 * 4. per relay, `corroborated`: its valid ids that another relay also sent valid.
 */
export function computeTruth(
  registry: EventRegistry,
  ledgers: readonly RelayLedger[],
  { scope = 'delivered', maxPlausibleSats = 100_000_000, minPlausibleSats = 0 }: TruthOptions = {},
  /** The zap provider behind a Lightning address (the network's LNURL server); none: all down. */
  provider: ProviderLookup = () => ({ kind: 'down' }),
): GroundTruth {
  const relays: Record<string, RelayTruth> = {};
  const valid = new Set<number>();
  const invalid = new Set<number>();
  /** Relays that sent each id valid. */
  const carriers = new Map<number, number>();
  const tallies: ReturnType<typeof relayTruth>[] = [];
  let floodJunk = 0;
  for (const ledger of ledgers) {
    const tally = relayTruth(registry, ledger, scope);
    for (const index of tally.valid) {
      valid.add(index);
      carriers.set(index, (carriers.get(index) ?? 0) + 1);
    }
    for (const index of tally.invalid) invalid.add(index);
    floodJunk += tally.truth.floodJunk;
    relays[ledger.url] = tally.truth;
    tallies.push(tally);
  }
  for (const tally of tallies)
    for (const index of tally.valid) if ((carriers.get(index) ?? 0) >= 2) tally.truth.corroborated++;

  const kinds = new KindTally();
  const clients = new ClientTally();
  const zaps = new ZapTally({ minPlausibleSats, maxPlausibleSats });
  const articles = new ArticleTally();
  const replaceables = new ReplaceableTally();
  const relayLists = new RelayListTally();
  const verdicts = new ZapVerdictTally(provider);
  const eventTallies = [kinds, clients, zaps, articles, replaceables, relayLists, verdicts];
  const deletions = new DeletionTally();
  const timed = splitByTiming(registry, ledgers, valid, scope);
  for (const index of timed.current) {
    const ev = registry.events[index];
    if (!ev) continue;
    for (const tally of eventTallies) tally.add(ev);
    deletions.add(ev, true);
  }
  for (const index of timed.untimely) {
    const ev = registry.events[index];
    if (!ev) continue;
    replaceables.add(ev);
    deletions.add(ev, false);
  }
  const articleFigures = articles.result();
  const articlesDeleted = deletions.deleted(articles.latest());

  let invalidOnly = floodJunk;
  for (const index of invalid) if (!valid.has(index)) invalidOnly++;
  const { uniqueByKind, pubkeys, userPubkeys } = kinds.result();
  return {
    scope,
    relays,
    uniqueByKind,
    unique: timed.current.length,
    invalidOnly,
    pubkeys,
    userPubkeys,
    ...clients.result(),
    zaps: { ...zaps.result(), ...verdicts.result() },
    ...articleFigures,
    articles: articleFigures.articles - articlesDeleted,
    articlesDeleted,
    ...deletions.result(),
    late: timed.late,
    future: timed.future,
    offFilter: sumOffFilter(Object.values(relays)),
    ...replaceables.result(),
    ...relayLists.result(),
  };
}
