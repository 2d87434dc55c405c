import { startApi } from '@nostr-info/api';
import { startCollector } from '@nostr-info/collector';
import { runScheduler, startSchedulerTimer } from '@nostr-info/scheduler';
import { buildContext, ExitError, envOrExit, stopOnSignal, trackStopSignals } from '../runtime.js';

/** `nostr-info all-in-one`: collector + scheduler timer + API sharing one database and cache. */
export async function allInOneCommand(): Promise<void> {
  trackStopSignals();
  const env = envOrExit('all-in-one');
  const ctx = await buildContext('all-in-one', env, { runMigrations: true });
  const collector = await startCollector(ctx);
  const scheduler = startSchedulerTimer(ctx, { intervalSeconds: env.STATS_INTERVAL_SECONDS });
  const api = await startApi(ctx);
  // Stop accepting requests first, then flush the collector, then let a running computation end.
  await stopOnSignal(ctx, [api, collector, scheduler]);
}

/** `nostr-info collector` */
export async function collectorCommand(): Promise<void> {
  trackStopSignals();
  const env = envOrExit('collector');
  const ctx = await buildContext('collector', env);
  const collector = await startCollector(ctx, { serveMetrics: true });
  await stopOnSignal(ctx, [collector]);
}

/** `nostr-info api` */
export async function apiCommand(): Promise<void> {
  trackStopSignals();
  const env = envOrExit('api');
  const ctx = await buildContext('api', env);
  const api = await startApi(ctx);
  await stopOnSignal(ctx, [api]);
}

/** `nostr-info scheduler run`: one run; a failure exits 1 with the reason logged. */
export async function schedulerRunCommand(): Promise<void> {
  const env = envOrExit('scheduler');
  const ctx = await buildContext('scheduler', env);
  try {
    const { error } = await runScheduler(ctx);
    if (error) throw new ExitError('scheduler run failed', 1, { cause: error });
  } finally {
    await ctx.cache.close().catch(() => undefined);
    await ctx.dbs.close().catch(() => undefined);
  }
}
