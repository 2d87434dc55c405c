import type { Cache } from '@nostr-info/shared/cache';
import type { Databases } from '@nostr-info/shared/db';
import type { Logger } from '@nostr-info/shared/log';
import { hotCell } from '@nostr-info/shared/metrics';
import {
  type FullSnapshot,
  fullSnapshotSchema,
  isStatsRange,
  SNAPSHOT_CHANNEL,
  STATS_RANGES,
  type StatsRange,
  snapshotCacheKey,
} from '@nostr-info/shared/stats';
import { ApiError } from '../errors.js';
import type { ApiMetrics } from '../metrics/api-metrics.js';
import { withTimeout } from '../timeout.js';
import { buildEntry, type SnapshotEntry } from './snapshot-entry.js';

/** The "snapshot ready" notice as published by the scheduler. */
export interface SnapshotNotice {
  computed_at: string | null;
  ranges: StatsRange[];
}

export interface SnapshotStoreOptions {
  cache: Cache;
  dbs: Databases;
  logger: Logger;
  metrics: ApiMetrics;
  /** A copy older than this is checked again, so a missed notice cannot keep old data forever. */
  maxAgeMs?: number;
  /** After a cache error, go straight to the database for this long instead of waiting on it. */
  cacheBackoffMs?: number;
  /** A cache read slower than this counts as an error (the database answers instead). */
  cacheTimeoutMs?: number;
}

/** Snapshot reader: process memory → cache (`stats:<range>`) → newest `statistics_snapshots` row. */
export interface SnapshotStore {
  /** The range's snapshot; throws `ApiError` 503 when there is none (yet) or nothing answers. */
  get(range: StatsRange): Promise<SnapshotEntry>;
  /** The in-process copy when it is fresh enough to serve without asking (counted as a hit). */
  peek(range: StatsRange): SnapshotEntry | undefined;
  /** Subscribes to the "snapshot ready" channel. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Called for every notice, after the in-process copies are marked stale. */
  onNotice(listener: (notice: SnapshotNotice) => void): void;
  /** Copies held now (for the snapshot-age gauge). */
  entries(): SnapshotEntry[];
}

function parseNotice(message: string): SnapshotNotice {
  try {
    const value = JSON.parse(message) as { computed_at?: unknown; ranges?: unknown };
    const ranges = Array.isArray(value.ranges) ? value.ranges.filter(isStatsRange) : [];
    return {
      computed_at: typeof value.computed_at === 'string' ? value.computed_at : null,
      ranges: ranges.length > 0 ? ranges : [...STATS_RANGES],
    };
  } catch {
    return { computed_at: null, ranges: [...STATS_RANGES] };
  }
}

/** Creates the snapshot store; statistics are only ever read here, never computed. */
export function createSnapshotStore({
  cache,
  dbs,
  logger,
  metrics,
  maxAgeMs = 5000,
  cacheBackoffMs = 5000,
  cacheTimeoutMs = 500,
}: SnapshotStoreOptions): SnapshotStore {
  const log = logger.child({ module: 'snapshot-store' });
  const held = new Map<StatsRange, SnapshotEntry>();
  const loading = new Map<StatsRange, Promise<SnapshotEntry>>();
  const listeners: ((notice: SnapshotNotice) => void)[] = [];
  let cacheSkipUntil = 0;
  let unsubscribe: (() => Promise<void>) | undefined;

  /** Parses, validates (warns only: a served snapshot beats none) and encodes a new snapshot. */
  const adopt = async (range: StatsRange, json: string, source: string): Promise<SnapshotEntry> => {
    const current = held.get(range);
    if (current && current.json === json) {
      current.checkedAtMs = Date.now();
      return current;
    }
    const value = JSON.parse(json) as FullSnapshot;
    const check = fullSnapshotSchema.safeParse(value);
    if (!check.success) {
      log.warn(
        { range, source, issues: check.error.issues.slice(0, 5) },
        'snapshot does not match its schema',
      );
    }
    if (typeof value?.computed_at !== 'string') throw new Error(`snapshot for ${range} has no computed_at`);
    const entry = await buildEntry(range, json, value);
    // A slower load must not replace a newer snapshot that landed meanwhile.
    const now = held.get(range);
    if (now && now.computedAtMs > entry.computedAtMs) return now;
    held.set(range, entry);
    return entry;
  };

  const fromCache = async (range: StatsRange): Promise<SnapshotEntry | undefined> => {
    if (Date.now() < cacheSkipUntil) return undefined;
    let json: string | null;
    try {
      json = await withTimeout(cache.get(snapshotCacheKey(range)), cacheTimeoutMs, 'cache read');
    } catch (err) {
      metrics.cacheLookups.inc({ layer: 'cache', result: 'error' });
      cacheSkipUntil = Date.now() + cacheBackoffMs;
      log.warn({ err, range }, 'cache unavailable, reading snapshots from the database');
      return undefined;
    }
    if (json === null) {
      metrics.cacheLookups.inc({ layer: 'cache', result: 'miss' });
      return undefined;
    }
    try {
      const entry = await adopt(range, json, 'cache');
      metrics.cacheLookups.inc({ layer: 'cache', result: 'hit' });
      return entry;
    } catch (err) {
      metrics.cacheLookups.inc({ layer: 'cache', result: 'error' });
      log.warn({ err, range }, 'unreadable snapshot in the cache');
      return undefined;
    }
  };

  const fromDatabase = async (range: StatsRange): Promise<SnapshotEntry | undefined> => {
    let row: { body: unknown } | undefined;
    try {
      row = await dbs.reader
        .selectFrom('statistics_snapshots')
        .select(['body'])
        .where('range', '=', range)
        .orderBy('computed_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
    } catch (err) {
      metrics.cacheLookups.inc({ layer: 'database', result: 'error' });
      metrics.dbErrors.inc({ service: 'api', operation: 'read_snapshot' });
      log.error({ err, range }, 'reading the newest snapshot failed');
      return undefined;
    }
    if (!row) {
      metrics.cacheLookups.inc({ layer: 'database', result: 'miss' });
      return undefined;
    }
    metrics.cacheLookups.inc({ layer: 'database', result: 'hit' });
    const json = typeof row.body === 'string' ? row.body : JSON.stringify(row.body);
    return adopt(range, json, 'database');
  };

  const load = async (range: StatsRange): Promise<SnapshotEntry> => {
    const entry = (await fromCache(range)) ?? (await fromDatabase(range));
    if (entry) return entry;
    // Nothing answered: an older copy is better than an error.
    const stale = held.get(range);
    if (stale) return stale;
    throw new ApiError(
      503,
      'no_snapshot',
      `no statistics snapshot for range ${range} yet; the scheduler computes one every few minutes`,
      { headers: { 'Retry-After': '30' } },
    );
  };

  const refresh = (range: StatsRange): Promise<SnapshotEntry> => {
    let pending = loading.get(range);
    if (!pending) {
      pending = load(range).finally(() => loading.delete(range));
      loading.set(range, pending);
    }
    return pending;
  };

  // A plain number on the hot path (see `hotCell`), added to the counter when it is read.
  const memoryHits = hotCell(metrics.cacheLookups, { layer: 'memory', result: 'hit' });
  const peek = (range: StatsRange): SnapshotEntry | undefined => {
    const entry = held.get(range);
    if (entry && Date.now() - entry.checkedAtMs < maxAgeMs) {
      memoryHits.n++;
      return entry;
    }
    return undefined;
  };

  return {
    peek,
    async get(range) {
      const entry = peek(range);
      if (entry) return entry;
      metrics.cacheLookups.inc({ layer: 'memory', result: 'miss' });
      return refresh(range);
    },
    async start() {
      if (unsubscribe) return;
      unsubscribe = await cache.subscribe(SNAPSHOT_CHANNEL, (message) => {
        const notice = parseNotice(message);
        for (const range of notice.ranges) {
          const entry = held.get(range);
          if (!entry) continue;
          entry.checkedAtMs = 0;
          // Warm the copy now so the next request does not pay for compression.
          refresh(range).catch((err: unknown) => log.warn({ err, range }, 'snapshot refresh failed'));
        }
        for (const listener of listeners) listener(notice);
      });
    },
    async stop() {
      const off = unsubscribe;
      unsubscribe = undefined;
      await off?.().catch(() => undefined);
    },
    onNotice(listener) {
      listeners.push(listener);
    },
    entries: () => [...held.values()],
  };
}
