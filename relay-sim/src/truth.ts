import { ArticleTally } from './article-tally.js';
import { ClientTally } from './client-tally.js';
import { KindTally } from './kind-tally.js';
import type { EventRegistry } from './registry.js';
import type { RelayLedger } from './relay-ledger.js';
import { RelayListTally } from './relay-list-tally.js';
import { relayTruth } from './relay-truth.js';
import { ReplaceableTally } from './replaceable-tally.js';
import type { GroundTruth, RelayTruth, TruthOptions } from './truth-types.js';
import { ZapTally } from './zap-tally.js';

/**
 * Computes the ground truth from the relays' ledgers (O(copies); call it when you compare):
 * 1. each relay's copies in scope, counted by `relayTruth`;
 * 2. the network-unique valid events (an id with a valid copy on any relay), each fed once to
 *    every network-wide tally;
 * 3. `invalidOnly`: ids no relay sent valid, plus every `flood` junk event.
 */
export function computeTruth(
  registry: EventRegistry,
  ledgers: readonly RelayLedger[],
  { scope = 'delivered', maxPlausibleSats = 100_000_000, minPlausibleSats = 0 }: TruthOptions = {},
): GroundTruth {
  const relays: Record<string, RelayTruth> = {};
  const valid = new Set<number>();
  const invalid = new Set<number>();
  let floodJunk = 0;
  for (const ledger of ledgers) {
    const tally = relayTruth(registry, ledger, scope);
    for (const index of tally.valid) valid.add(index);
    for (const index of tally.invalid) invalid.add(index);
    floodJunk += tally.truth.floodJunk;
    relays[ledger.url] = tally.truth;
  }

  const kinds = new KindTally();
  const clients = new ClientTally();
  const zaps = new ZapTally({ minPlausibleSats, maxPlausibleSats });
  const articles = new ArticleTally();
  const replaceables = new ReplaceableTally();
  const relayLists = new RelayListTally();
  const tallies = [kinds, clients, zaps, articles, replaceables, relayLists];
  for (const index of valid) {
    const ev = registry.events[index];
    if (!ev) continue;
    for (const tally of tallies) tally.add(ev);
  }

  let invalidOnly = floodJunk;
  for (const index of invalid) if (!valid.has(index)) invalidOnly++;
  const { uniqueByKind, pubkeys } = kinds.result();
  return {
    scope,
    relays,
    uniqueByKind,
    unique: valid.size,
    invalidOnly,
    pubkeys,
    ...clients.result(),
    zaps: zaps.result(),
    ...articles.result(),
    ...replaceables.result(),
    ...relayLists.result(),
  };
}
