import type { RoleContext, SchedulerEnv, Service } from '@nostr-info/shared';

/** Outcome of one scheduler run; the CLI turns `error` into the exit status. */
export interface RunResult {
  error?: unknown;
  results: { range: string; durationMs: number; rows: number }[];
}

/** One run of every range: snapshots to the primary and the cache. */
export async function runScheduler(ctx: RoleContext<SchedulerEnv>): Promise<RunResult> {
  ctx.logger.info('scheduler run');
  return { results: [] };
}

export interface SchedulerTimerOptions {
  intervalSeconds: number;
}

/** Runs `runScheduler` at start and every `intervalSeconds` (all-in-one mode). */
export function startSchedulerTimer(
  ctx: RoleContext<SchedulerEnv>,
  { intervalSeconds }: SchedulerTimerOptions,
): Service {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running
      .then(() => runScheduler(ctx))
      .catch((err) => ctx.logger.error({ err }, 'scheduler run failed'));
  };
  tick();
  const timer = setInterval(tick, intervalSeconds * 1000);
  return {
    name: 'scheduler',
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
