/** A statistics range: the last 24 hours, 7, 30 or 90 days, or everything collected. */
export type StatsRange = '24h' | '7d' | '30d' | '90d' | 'all';

/** Every statistics range, in display order. */
export const STATS_RANGES = ['24h', '7d', '30d', '90d', 'all'] as const satisfies readonly StatsRange[];

/** Length of each bounded range in hours ("24h" is the last 24 hours, not two calendar days). */
export const RANGE_HOURS: Record<Exclude<StatsRange, 'all'>, number> = {
  '24h': 24,
  '7d': 7 * 24,
  '30d': 30 * 24,
  '90d': 90 * 24,
};

/** Type guard for a range given by a client. */
export function isStatsRange(value: unknown): value is StatsRange {
  return typeof value === 'string' && (STATS_RANGES as readonly string[]).includes(value);
}

/** Cache key of a range's snapshot. */
export const snapshotCacheKey = (range: StatsRange): string => `stats:${range}`;

/** Pub/sub channel announcing a new snapshot set; the message is JSON `{ computed_at, ranges }`. */
export const SNAPSHOT_CHANNEL = 'snapshot-ready';

/** Pub/sub channel for the live feed; the message is JSON from the collector. */
export const LIVE_CHANNEL = 'live';

/** How long a snapshot lives in the cache. */
export const SNAPSHOT_TTL_SECONDS = 3600;
