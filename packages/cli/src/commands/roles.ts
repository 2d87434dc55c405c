import { buildContext, ExitError, envOrExit, stopOnSignal, trackStopSignals } from '../runtime.js';

// Each role loads only the packages it runs: a collector replica does not hold the API's and the
// scheduler's modules in memory.
const collectorPackage = () => import('@nostr-info/collector');
const apiPackage = () => import('@nostr-info/api');
const schedulerPackage = () => import('@nostr-info/scheduler');

/** `nostr-info all-in-one`: collector + scheduler timer + API sharing one database and cache. */
export async function allInOneCommand(): Promise<void> {
  trackStopSignals();
  const env = envOrExit('all-in-one');
  const [{ startCollector }, { startSchedulerTimer }, { startApi }] = await Promise.all([
    collectorPackage(),
    schedulerPackage(),
    apiPackage(),
  ]);
  const ctx = await buildContext('all-in-one', env, { runMigrations: true });
  const collector = await startCollector(ctx, { onFenced: stopThisProcess });
  const scheduler = startSchedulerTimer(ctx, { intervalSeconds: env.STATS_INTERVAL_SECONDS });
  const api = await startApi(ctx);
  // Stop accepting requests first, then flush the collector, then let a running computation end.
  await stopOnSignal(ctx, [api, collector, scheduler]);
}

/**
 * A fenced collector's process stops as on SIGTERM (its supervisor starts a fresh one): another
 * instance holds its relays now.
 */
function stopThisProcess(): void {
  process.kill(process.pid, 'SIGTERM');
}

/** `nostr-info collector` */
export async function collectorCommand(): Promise<void> {
  trackStopSignals();
  const env = envOrExit('collector');
  const { startCollector } = await collectorPackage();
  const ctx = await buildContext('collector', env);
  const collector = await startCollector(ctx, { serveMetrics: true, onFenced: stopThisProcess });
  await stopOnSignal(ctx, [collector]);
}

/** `nostr-info api` */
export async function apiCommand(): Promise<void> {
  trackStopSignals();
  const env = envOrExit('api');
  const { startApi } = await apiPackage();
  const ctx = await buildContext('api', env);
  const api = await startApi(ctx);
  await stopOnSignal(ctx, [api]);
}

/** `nostr-info scheduler run`: one run; a failure exits 1 with the reason logged. */
export async function schedulerRunCommand(): Promise<void> {
  const env = envOrExit('scheduler');
  const { runScheduler } = await schedulerPackage();
  const ctx = await buildContext('scheduler', env);
  try {
    const { error } = await runScheduler(ctx);
    if (error) throw new ExitError('scheduler run failed', 1, { cause: error });
  } finally {
    await ctx.cache.close().catch(() => undefined);
    await ctx.dbs.close().catch(() => undefined);
  }
}
