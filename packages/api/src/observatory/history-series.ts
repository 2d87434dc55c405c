import type { z } from '@hono/zod-openapi';
import { bucketStarts, type RangeWindow } from '@nostr-info/scheduler';
import type { BucketValue, HistoryRows } from './history-read.js';
import { type Histogram, histogramPercentile, mergeHistogram } from './latency-histogram.js';
import type { historyPointSchema, historySchema, latencySummarySchema } from './observatory-schemas.js';

export type RelayHistory = z.infer<typeof historySchema>;
type HistoryPoint = z.infer<typeof historyPointSchema>;
type LatencySummary = z.infer<typeof latencySummarySchema>;

/** The additive sums of one bucket (or of the whole window). */
interface Sums {
  events: number;
  invalid: number;
  offFilter: number;
  connectedMs: number;
  observedMs: number;
  restrictedMs: number;
  connects: number;
  disconnects: number;
  openSum: number;
  openN: number;
  eoseSum: number;
  eoseN: number;
  open: Histogram;
  eose: Histogram;
}

const emptySums = (): Sums => ({
  events: 0,
  invalid: 0,
  offFilter: 0,
  connectedMs: 0,
  observedMs: 0,
  restrictedMs: 0,
  connects: 0,
  disconnects: 0,
  openSum: 0,
  openN: 0,
  eoseSum: 0,
  eoseN: 0,
  open: new Map(),
  eose: new Map(),
});

/** Milliseconds of a bucket as the database returns it (`date` columns come back as strings). */
export function bucketMs(t: BucketValue): number {
  if (typeof t !== 'string') return t.getTime();
  return Date.parse(t.length === 10 ? `${t}T00:00:00Z` : t);
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Percent with two decimals, clamped to 0–100, as every uptime in the snapshots. */
const percent = (part: number, whole: number) => Math.min(100, Math.max(0, round((part / whole) * 100, 2)));

function latency(sum: number, n: number, histogram: Histogram): LatencySummary {
  return {
    avg: n > 0 ? round(sum / n, 1) : null,
    p50: histogramPercentile(histogram, 50),
    p95: histogramPercentile(histogram, 95),
    count: n,
  };
}

/** The published figures of some sums (a point without its time, or the totals). */
function figures(s: Sums): Omit<HistoryPoint, 't'> {
  // Restricted time can run a little ahead of observed time within one bucket (the wait before a
  // refusal is booked when it comes), hence the floor; the same rule as the snapshot's uptime.
  const servable = Math.max(0, s.observedMs - s.restrictedMs);
  return {
    uptime_pct: servable > 0 ? percent(s.connectedMs, servable) : null,
    observed_ms: s.observedMs,
    serving_ms: s.connectedMs,
    restricted_ms: s.restrictedMs,
    open_latency_ms: latency(s.openSum, s.openN, s.open),
    eose_latency_ms: latency(s.eoseSum, s.eoseN, s.eose),
    events: s.events,
    invalid: s.invalid,
    off_filter: s.offFilter,
    connects: s.connects,
    disconnects: s.disconnects,
  };
}

function addSums(into: Sums, from: Sums): void {
  for (const key of Object.keys(from) as (keyof Sums)[]) {
    const v = from[key];
    if (typeof v === 'number') (into[key] as number) += v;
  }
  mergeHistogram(into.open, from.open);
  mergeHistogram(into.eose, from.eose);
}

/**
 * Shapes one relay's rows into its history: a point for every bucket of the window, oldest first
 * (buckets without rows count zero), and the totals of the window, which are the points summed.
 */
export function buildHistory(
  url: string,
  window: RangeWindow,
  rows: HistoryRows,
  generatedAt: Date,
): RelayHistory {
  const buckets = new Map<number, Sums>();
  const at = (t: BucketValue): Sums => {
    const key = bucketMs(t);
    let sums = buckets.get(key);
    if (!sums) {
      sums = emptySums();
      buckets.set(key, sums);
    }
    return sums;
  };
  for (const r of rows.events) {
    const s = at(r.t);
    s.events += Number(r.events);
    s.invalid += Number(r.invalid);
  }
  for (const r of rows.offFilter) at(r.t).offFilter += Number(r.copies);
  for (const r of rows.health) {
    const s = at(r.t);
    s.connectedMs += Number(r.connected_ms);
    s.observedMs += Number(r.observed_ms);
    s.restrictedMs += Number(r.restricted_ms);
    s.connects += Number(r.connects);
    s.disconnects += Number(r.disconnects);
    s.openSum += Number(r.open_sum);
    s.openN += Number(r.open_n);
    s.eoseSum += Number(r.eose_sum);
    s.eoseN += Number(r.eose_n);
  }
  for (const r of rows.latency) {
    const histogram = at(r.t)[r.phase];
    histogram.set(r.le_ms, (histogram.get(r.le_ms) ?? 0) + Number(r.samples));
  }
  const firstDay = rows.firstDay === null ? null : new Date(bucketMs(rows.firstDay));
  const totals = emptySums();
  const series = bucketStarts(window, firstDay).map((t) => {
    const sums = buckets.get(t.getTime()) ?? emptySums();
    addSums(totals, sums);
    return { t: t.toISOString(), ...figures(sums) };
  });
  return {
    url,
    range: window.range,
    granularity: window.granularity,
    start: window.start ? window.start.toISOString() : null,
    generated_at: generatedAt.toISOString(),
    totals: figures(totals),
    series,
  };
}
