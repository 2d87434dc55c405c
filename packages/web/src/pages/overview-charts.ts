import type { SeriesSpec, TimeChartSpec } from '../charts/time-chart.js';
import { kindLabel, kindShort, kindsBySize } from '../lib/kinds.js';
import { perBucket, rangeWords } from '../lib/range.js';
import type { FullSnapshot, Range } from '../lib/types.js';

/** Kinds drawn as their own line; the rest are summed into "other kinds". */
const MAX_KIND_LINES = 5;
const ZAP_KIND = '9735';

/** Events by kind over time: the largest kinds as lines, the rest summed. */
export function eventsChart(s: FullSnapshot, range: Range): TimeChartSpec {
  const kinds = kindsBySize(s.events.by_kind);
  const shown = kinds.slice(0, MAX_KIND_LINES);
  const rest = kinds.slice(MAX_KIND_LINES);
  const series: SeriesSpec[] = shown.map((kind) => ({
    label: kindShort(kind),
    values: s.events.series.map((p) => p.by_kind[kind] ?? 0),
  }));
  if (rest.length > 0) {
    series.push({
      label: 'other kinds',
      values: s.events.series.map((p) => rest.reduce((sum, k) => sum + (p.by_kind[k] ?? 0), 0)),
    });
  }
  return {
    id: 'events-by-kind',
    title: 'Events by kind',
    description: `Network-unique events ${perBucket(s.events.granularity)} over ${rangeWords(range)}, by kind (${shown.map(kindLabel).join(', ') || 'none yet'}).`,
    times: s.events.series.map((p) => p.t),
    series,
  };
}

/** Active and new users over time. */
export function usersChart(s: FullSnapshot, range: Range): TimeChartSpec {
  return {
    id: 'users',
    title: 'Users',
    description: `Distinct public keys with an event (active) and seen for the first time (new), ${perBucket(s.activity.granularity)} over ${rangeWords(range)}.`,
    times: s.activity.series.map((p) => p.t),
    series: [
      { label: 'active users', values: s.activity.series.map((p) => p.active_users) },
      { label: 'new users', values: s.activity.series.map((p) => p.new_users) },
    ],
  };
}

/**
 * Zap volume over time. The snapshot has zap totals but no zap series yet, so this draws the
 * zap receipts (kind 9735) of the events series: receipts seen, before the NIP-57 checks that
 * decide which zaps count (the counted zaps and sats are in the figures above).
 */
export function zapsChart(s: FullSnapshot, range: Range): TimeChartSpec {
  return {
    id: 'zaps',
    title: 'Zap receipts',
    description: `Zap receipts (kind 9735) seen ${perBucket(s.events.granularity)} over ${rangeWords(range)}, before the checks that decide which zaps are counted.`,
    times: s.events.series.map((p) => p.t),
    series: [
      { label: 'zap receipts', values: s.events.series.map((p) => p.by_kind[ZAP_KIND] ?? 0), bars: true },
    ],
  };
}
