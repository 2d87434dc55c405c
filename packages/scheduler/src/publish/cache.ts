import type { Cache } from '@nostr-info/shared/cache';
import {
  SNAPSHOT_CHANNEL,
  SNAPSHOT_TTL_SECONDS,
  type StatsRange,
  snapshotCacheKey,
} from '@nostr-info/shared/stats';
import type { ComputedRange } from '../compute/compute-snapshot.js';
import type { RangeFigures } from '../store/write-snapshots.js';

/** Cache key of the last run's outcome, read by the API for the `nostr_info_stats_*` gauges. */
export const LAST_RUN_KEY = 'stats:last-run';

/** Body of `stats:last-run`. */
export interface LastRun {
  finished_at: string;
  success: boolean;
  ranges: RangeFigures;
  /** Finish time of the newest successful run (carried over by a failed one). */
  last_success_at: string | null;
  error?: string;
}

/** Puts every range's snapshot in the cache as `stats:<range>` (TTL 1 h). */
export async function cacheSnapshots(cache: Cache, computed: readonly ComputedRange[]): Promise<void> {
  await Promise.all(
    computed.map((c) =>
      cache.set(snapshotCacheKey(c.range), JSON.stringify(c.snapshot), SNAPSHOT_TTL_SECONDS),
    ),
  );
}

/** Announces a new snapshot set on the cache's pub/sub. */
export async function announceSnapshots(
  cache: Cache,
  computedAt: string,
  ranges: readonly StatsRange[],
): Promise<void> {
  await cache.publish(SNAPSHOT_CHANNEL, JSON.stringify({ computed_at: computedAt, ranges }));
}

/** Writes `stats:last-run`; a failed run keeps the previous `last_success_at`. */
export async function writeLastRun(cache: Cache, run: Omit<LastRun, 'last_success_at'>): Promise<void> {
  let lastSuccess: string | null = run.success ? run.finished_at : null;
  if (!run.success) {
    const previous = await cache.get(LAST_RUN_KEY);
    if (previous) lastSuccess = (JSON.parse(previous) as Partial<LastRun>).last_success_at ?? null;
  }
  const body: LastRun = { ...run, last_success_at: lastSuccess };
  await cache.set(LAST_RUN_KEY, JSON.stringify(body));
}
