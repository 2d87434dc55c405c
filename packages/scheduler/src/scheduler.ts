import type { SchedulerEnv } from '@nostr-info/shared/config';
import type { Database } from '@nostr-info/shared/db';
import type { RoleContext, Service } from '@nostr-info/shared/lifecycle';
import { STATS_RANGES, type StatsRange } from '@nostr-info/shared/stats';
import type { Kysely } from 'kysely';
import type { ComputedRange } from './compute/compute-snapshot.js';
import { SchedulerRunError } from './errors.js';
import { announceSnapshots, writeLastRun } from './publish/cache.js';
import { pushRunMetrics } from './publish/pushgateway.js';
import { computeAndStore } from './store/compute-and-store.js';
import { applyRetention } from './store/retention.js';
import { rangeFigures, recordFailedRun } from './store/write-snapshots.js';
import { refreshParticipantTiers } from './trust/participant-tier-refresh.js';
import { runTrustIfDue, trustSettings } from './trust/run-trust.js';
import { refreshUserTiersIfDue } from './trust/tier-refresh.js';

/** Outcome of one scheduler run; the CLI turns `error` into the exit status. */
export interface RunResult {
  error?: unknown;
  results: { range: string; durationMs: number; rows: number }[];
  /** True when another run held the lock, so this one wrote nothing (not an error). */
  skipped?: boolean;
  /** Wall time of the whole run. */
  durationMs?: number;
}

/** Options of one run. */
export interface RunOptions {
  /** The run's clock (tests pin it so range edges are deterministic). */
  now?: () => Date;
  /** Ranges to compute (default: all five). */
  ranges?: readonly StatsRange[];
  /** Skip retention (benchmarks time the computation alone). */
  retention?: boolean;
  /** Skip the web of trust and the user tier refresh even when due (benchmarks time the statistics alone). */
  trust?: boolean;
}

/** Writers with a run in flight in this process (PGlite has one connection, so no advisory lock). */
const inFlight = new WeakSet<Kysely<Database>>();

/**
 * One run of every range: reads from `ctx.dbs.reader`, then in one writer transaction inserts the
 * snapshots and the `scheduler_runs` row and prunes old snapshots; refreshes the cache, announces
 * the new set, recomputes the web of trust when due (`runTrustIfDue`, in its own transaction),
 * pushes metrics, applies retention. On PostgreSQL the whole run holds a
 * transaction-scoped advisory lock: a second run at the same time skips. A failed run writes no
 * snapshot, so the previous ones keep serving.
 */
export async function runScheduler(
  ctx: RoleContext<SchedulerEnv>,
  options: RunOptions = {},
): Promise<RunResult> {
  const { now: clock = () => new Date(), ranges = STATS_RANGES, retention = true, trust = true } = options;
  const { dbs, cache, env } = ctx;
  const log = ctx.logger.child({ module: 'scheduler' });
  if (inFlight.has(dbs.writer)) {
    log.info('a scheduler run is already in progress in this process; skipping');
    return { results: [], skipped: true };
  }
  inFlight.add(dbs.writer);
  const startedAt = clock();
  const t0 = performance.now();
  try {
    let computed: ComputedRange[] | null;
    try {
      computed = await computeAndStore({
        dbs,
        cache,
        log,
        ranges,
        now: startedAt,
        history: env.SNAPSHOT_HISTORY,
        elapsedMs: () => performance.now() - t0,
        trust: env.TRUST_SEEDS.length > 0,
      });
    } catch (cause) {
      const error = new SchedulerRunError('scheduler run failed', { cause });
      const finishedAt = new Date(startedAt.getTime() + Math.round(performance.now() - t0));
      const message = cause instanceof Error ? cause.message : String(cause);
      log.error({ err: cause }, 'scheduler run failed; previous snapshots keep serving');
      await recordFailedRun(dbs.writer, { startedAt, finishedAt, error: message }).catch((err) =>
        log.warn({ err }, 'recording the failed run failed'),
      );
      await writeLastRun(cache, {
        finished_at: finishedAt.toISOString(),
        success: false,
        ranges: {},
        error: message,
      }).catch((err) => log.warn({ err }, 'writing stats:last-run failed'));
      return { error, results: [], durationMs: Math.round(performance.now() - t0) };
    }
    if (!computed) {
      log.info('another scheduler run holds the lock; skipping');
      return { results: [], skipped: true };
    }

    const figures = rangeFigures(computed);
    const finishedAt = new Date(startedAt.getTime() + Math.round(performance.now() - t0));
    const computedAt = startedAt.toISOString();
    await Promise.all([
      writeLastRun(cache, { finished_at: finishedAt.toISOString(), success: true, ranges: figures }),
      announceSnapshots(
        cache,
        computedAt,
        computed.map((c) => c.range),
      ),
    ]).catch((err) => log.warn({ err }, 'cache update after the run failed'));
    if (env.PUSHGATEWAY_URL) {
      await pushRunMetrics(env.PUSHGATEWAY_URL, { finishedAt, ranges: figures }).catch((err) =>
        log.warn({ err }, 'pushing run metrics failed'),
      );
    }
    // After the snapshots are out, so a slow trust computation never delays them; the next run's
    // snapshots use what it wrote.
    if (trust) {
      await runTrustIfDue(dbs, trustSettings(env), { now: startedAt, log }).catch((err) =>
        log.error({ err }, 'trust computation failed; the previous trusted set stays'),
      );
      // With or without trust seeds: the profiled tier needs it too.
      const refreshed = await refreshUserTiersIfDue(dbs.writer, {
        now: startedAt,
        intervalSeconds: env.TRUST_INTERVAL_SECONDS,
        log,
      }).catch((err) => {
        log.error({ err }, 'user tier refresh failed; the statistics runs look tiers up');
        return { ran: false };
      });
      if (refreshed.ran)
        await refreshParticipantTiers(dbs.writer)
          .then((changed) => log.info({ changed }, 'zap participant and client user tiers refreshed'))
          .catch((err) =>
            log.error({ err }, 'participant tier refresh failed; the statistics runs look tiers up'),
          );
    }
    if (retention) {
      await applyRetention(dbs.writer, {
        now: startedAt,
        hourlyRetentionDays: env.HOURLY_RETENTION_DAYS,
        relayLogRetentionDays: env.RELAY_LOG_RETENTION_DAYS,
        relayDailyRetentionDays: env.RELAY_DAILY_RETENTION_DAYS,
        runHistory: env.SNAPSHOT_HISTORY,
      })
        .then((deleted) => log.debug({ deleted }, 'retention applied'))
        .catch((err) => log.error({ err }, 'retention failed'));
    }
    const durationMs = Math.round(performance.now() - t0);
    const results = computed.map((c) => ({ range: c.range, durationMs: c.durationMs, rows: c.rows }));
    log.info({ durationMs, ranges: figures }, 'scheduler run finished');
    return { results, durationMs };
  } finally {
    inFlight.delete(dbs.writer);
  }
}

/** Options of the all-in-one timer. */
export interface SchedulerTimerOptions {
  intervalSeconds: number;
  /** Passed to every run. */
  run?: RunOptions;
}

/** Runs `runScheduler` at start and every `intervalSeconds` (all-in-one mode); runs never overlap. */
export function startSchedulerTimer(
  ctx: RoleContext<SchedulerEnv>,
  { intervalSeconds, run }: SchedulerTimerOptions,
): Service {
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const tick = () => {
    // A run that outlasts the interval is not queued behind: the next tick after it ends runs.
    if (running || stopped) return;
    running = runScheduler(ctx, run)
      .catch((err) => ctx.logger.error({ err }, 'scheduler run failed'))
      .finally(() => {
        running = null;
      });
  };
  tick();
  const timer = setInterval(tick, intervalSeconds * 1000);
  return {
    name: 'scheduler',
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
