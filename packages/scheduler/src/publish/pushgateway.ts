import { Gauge, Pushgateway, Registry } from 'prom-client';
import type { RangeFigures } from '../store/write-snapshots.js';

/** Job name the run's metrics are grouped under on the Pushgateway. */
export const PUSH_JOB = 'nostr_info_scheduler';

/**
 * Pushes the run's success time and per-range durations (PUT: replaces the job's group). A CronJob
 * pod is never scraped, so this is how its figures reach Prometheus.
 */
export async function pushRunMetrics(
  url: string,
  { finishedAt, ranges, timeoutMs = 5000 }: { finishedAt: Date; ranges: RangeFigures; timeoutMs?: number },
): Promise<void> {
  const registry = new Registry();
  new Gauge({
    name: 'nostr_info_stats_last_success_timestamp_seconds',
    help: "Unix time of the scheduler's last good run",
    registers: [registry],
  }).set(finishedAt.getTime() / 1000);
  const duration = new Gauge({
    name: 'nostr_info_stats_duration_seconds',
    help: 'Duration of the last scheduler run, by range',
    labelNames: ['range'],
    registers: [registry],
  });
  for (const [range, figures] of Object.entries(ranges)) duration.set({ range }, figures.duration_ms / 1000);
  await new Pushgateway(url, { timeout: timeoutMs }, registry).push({ jobName: PUSH_JOB });
}
