import type { Database } from '@nostr-info/shared/db';
import { type FullSnapshot, METHODOLOGY_VERSION, type StatsRange } from '@nostr-info/shared/stats';
import type { Kysely } from 'kysely';
import { censusSection } from './census.js';
import { censusRelays, readCensusFacts } from './census-facts.js';
import { applyCoverage, coverageOf } from './coverage.js';
import { readCoverageRows } from './coverage-rows.js';
import type { DistinctFigures } from './distinct-counts.js';
import { readFilterFigures } from './filter-figures.js';
import { followGraphSection, readGraphStats } from './follow-graph-section.js';
import { type ParticipantTiers, readParticipantTiers } from './participant-tiers.js';
import { readRange, rowCount } from './range-data.js';
import { rangeWindow } from './range-window.js';
import type { RelayFacts } from './relay-facts.js';
import { readRelayOutages } from './relay-outages.js';
import { relayFigures } from './relay-rows.js';
import {
  activitySection,
  clientsSection,
  eventsSection,
  overviewSection,
  relaysSection,
  topRelaysSection,
} from './sections.js';
import type { TierSeries } from './tier-buckets.js';
import type { TierCounts } from './tier-counts.js';
import { readZapFigures } from './zap-figures.js';

/** One computed range: its snapshot body, how long it took and how many rows it read. */
export interface ComputedRange {
  range: StatsRange;
  snapshot: FullSnapshot;
  durationMs: number;
  rows: number;
}

/** What a run reads for all its ranges at once and hands to each (each reads its own without). */
export interface SharedReads {
  tiers?: Promise<TierCounts>;
  participants?: Promise<ParticipantTiers>;
  tierSeries?: Promise<TierSeries>;
  distinct?: Promise<DistinctFigures>;
}

/** Computes the full snapshot of `range` at `now` from `db` (the reader). */
export async function computeSnapshot(
  db: Kysely<Database>,
  range: StatsRange,
  now: Date,
  relays: readonly RelayFacts[],
  { trust = true, tiers, participants, tierSeries, distinct }: { trust?: boolean } & SharedReads = {},
): Promise<ComputedRange> {
  const started = performance.now();
  const window = rangeWindow(range, now);
  const [data, filtered, zaps, coverageRows, outages, census, graphStats, people] = await Promise.all([
    readRange(db, window, { tiers, tierSeries, distinct }),
    readFilterFigures(db, window),
    readZapFigures(db, window),
    readCoverageRows(db, window, relays.filter((r) => r.watched).length),
    readRelayOutages(db, window),
    readCensusFacts(db, window),
    readGraphStats(db),
    participants ?? readParticipantTiers(db, [window]).then(([p]) => p as ParticipantTiers),
  ]);
  const base = { range, computed_at: now.toISOString() };
  const figures = relayFigures(relays, data, now, filtered.offFilterByRelay, outages);
  const coverage = coverageOf(window, coverageRows);
  const { overview, activity } = applyCoverage(
    window,
    coverage,
    overviewSection(base, data, figures, filtered, zaps, people, trust),
    activitySection(base, window, data, trust),
  );
  const snapshot: FullSnapshot = {
    ...base,
    methodology_version: METHODOLOGY_VERSION,
    overview,
    relays: relaysSection(base, figures),
    events: eventsSection(base, window, data, filtered),
    clients: clientsSection(base, data, people, trust),
    top_relays: topRelaysSection(base, figures),
    activity,
    coverage,
    census: censusSection(base, censusRelays(relays, data, census, now)),
    follow_graph: followGraphSection(base, graphStats, trust),
  };
  return {
    range,
    snapshot,
    durationMs: Math.round(performance.now() - started),
    rows: rowCount(data) + relays.length,
  };
}
