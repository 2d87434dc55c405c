import type { Cache } from '@nostr-info/shared/cache';
import type { Databases } from '@nostr-info/shared/db';
import type { Logger } from '@nostr-info/shared/log';
import { METRIC_PREFIX } from '@nostr-info/shared/metrics';
import { STATS_RANGES } from '@nostr-info/shared/stats';
import { Gauge, type Registry } from 'prom-client';
import type { SnapshotStore } from '../snapshot/snapshot-store.js';
import { within } from '../timeout.js';
import { type ApiMetrics, shared } from './api-metrics.js';

/** Cache key where the scheduler leaves the outcome of its newest run (docs/metrics.md). */
export const LAST_RUN_KEY = 'stats:last-run';

interface RunFigures {
  lastSuccessSeconds: number | undefined;
  durations: Record<string, number>;
}

const seconds = (iso: unknown): number | undefined => {
  const t = typeof iso === 'string' || iso instanceof Date ? new Date(iso).getTime() : Number.NaN;
  return Number.isFinite(t) ? t / 1000 : undefined;
};

function durationsOf(ranges: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (!ranges || typeof ranges !== 'object') return out;
  for (const range of STATS_RANGES) {
    const ms = (ranges as Record<string, { duration_ms?: unknown } | undefined>)[range]?.duration_ms;
    if (typeof ms === 'number' && Number.isFinite(ms)) out[range] = ms / 1000;
  }
  return out;
}

/**
 * The scheduler's figures from `stats:last-run` (`last_success_at` survives a failed run), else
 * from the newest successful `scheduler_runs` row.
 */
async function readRunFigures(cache: Cache, dbs: Databases, cacheTimeoutMs: number): Promise<RunFigures> {
  try {
    const text = await within(cache.get(LAST_RUN_KEY), cacheTimeoutMs, null);
    if (text) {
      const run = JSON.parse(text) as {
        finished_at?: unknown;
        success?: unknown;
        ranges?: unknown;
        last_success_at?: unknown;
      };
      const lastSuccess =
        seconds(run.last_success_at) ?? (run.success === true ? seconds(run.finished_at) : undefined);
      if (lastSuccess !== undefined)
        return { lastSuccessSeconds: lastSuccess, durations: durationsOf(run.ranges) };
    }
  } catch {
    // fall through to the database
  }
  const row = await dbs.reader
    .selectFrom('scheduler_runs')
    .select(['finished_at', 'ranges'])
    .where('success', '=', true)
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { lastSuccessSeconds: seconds(row?.finished_at), durations: durationsOf(row?.ranges) };
}

export interface ScrapeGaugeOptions {
  registry: Registry;
  cache: Cache;
  dbs: Databases;
  logger: Logger;
  store: SnapshotStore;
  metrics: ApiMetrics;
  timeoutMs?: number;
}

/** Gauges computed at scrape time (collect callbacks): cache health, Redis memory, snapshot ages. */
export function registerScrapeGauges({
  registry,
  cache,
  dbs,
  logger,
  store,
  metrics,
  timeoutMs = 500,
}: ScrapeGaugeOptions): void {
  const registers = [registry];
  shared(
    registry,
    `${METRIC_PREFIX}cache_up`,
    () =>
      new Gauge({
        name: `${METRIC_PREFIX}cache_up`,
        help: '1 when the cache backend answers.',
        registers,
        async collect() {
          this.set((await within(cache.ping(), timeoutMs, false)) ? 1 : 0);
        },
      }),
  );
  // One INFO per scrape feeds both memory gauges.
  let memory: Promise<{ usedBytes: number; maxBytes: number } | null | undefined> | undefined;
  const memoryOnce = () => {
    memory ??= within(cache.memoryInfo(), timeoutMs, undefined)
      .catch(() => undefined)
      .finally(() =>
        setTimeout(() => {
          memory = undefined;
        }, 100).unref(),
      );
    return memory;
  };
  for (const [suffix, field, help] of [
    ['redis_memory_used_bytes', 'usedBytes', 'Redis memory in use (sum over masters).'],
    ['redis_memory_max_bytes', 'maxBytes', 'Redis maxmemory (0 = unlimited).'],
  ] as const) {
    shared(
      registry,
      `${METRIC_PREFIX}${suffix}`,
      () =>
        new Gauge({
          name: `${METRIC_PREFIX}${suffix}`,
          help,
          registers,
          async collect() {
            const info = await memoryOnce();
            this.reset();
            if (info) this.set(info[field]);
          },
        }),
    );
  }
  new Gauge({
    name: `${METRIC_PREFIX}stats_snapshot_age_seconds`,
    help: 'Age of the snapshot being served, by range.',
    labelNames: ['range'],
    registers,
    collect() {
      this.reset();
      const now = Date.now();
      for (const entry of store.entries()) {
        this.set({ range: entry.range }, Math.max(0, (now - entry.computedAtMs) / 1000));
      }
    },
  });
  let figures: Promise<RunFigures | undefined> | undefined;
  const figuresOnce = () => {
    figures ??= within(readRunFigures(cache, dbs, timeoutMs / 3), timeoutMs, undefined)
      .catch((err: unknown) => {
        metrics.dbErrors.inc({ service: 'api', operation: 'read_scheduler_runs' });
        logger.warn({ err }, 'reading scheduler figures failed');
        return undefined;
      })
      .finally(() =>
        setTimeout(() => {
          figures = undefined;
        }, 100).unref(),
      );
    return figures;
  };
  shared(
    registry,
    `${METRIC_PREFIX}stats_last_success_timestamp_seconds`,
    () =>
      new Gauge({
        name: `${METRIC_PREFIX}stats_last_success_timestamp_seconds`,
        help: "Unix time of the scheduler's last good run.",
        registers,
        async collect() {
          const f = await figuresOnce();
          this.reset();
          if (f?.lastSuccessSeconds !== undefined) this.set(f.lastSuccessSeconds);
        },
      }),
  );
  shared(
    registry,
    `${METRIC_PREFIX}stats_duration_seconds`,
    () =>
      new Gauge({
        name: `${METRIC_PREFIX}stats_duration_seconds`,
        help: 'Duration of the last scheduler run, by range.',
        labelNames: ['range'],
        registers,
        async collect() {
          const f = await figuresOnce();
          this.reset();
          for (const [range, s] of Object.entries(f?.durations ?? {})) this.set({ range }, s);
        },
      }),
  );
}
