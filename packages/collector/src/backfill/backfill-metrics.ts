import { Counter, Gauge, Pushgateway, Registry } from 'prom-client';
import type { BackfillResult } from './backfill-result.js';
import type { BackfillRejectReason } from './event-check.js';
import type { HistoryPage } from './write-page.js';

/** Job name a run's metrics are grouped under on the Pushgateway. */
export const BACKFILL_PUSH_JOB = 'nostr_info_backfill';

/**
 * A backfill run's figures as Prometheus metrics. A one-shot command is never scraped, so they
 * are pushed to a Pushgateway (PUT: each push replaces the job's group) while it runs and at the
 * end; labels are relay URLs (the watched set) and the fixed reject reasons.
 */
export class BackfillMetrics {
  readonly registry = new Registry();
  private readonly pages = new Counter({
    name: 'nostr_info_backfill_pages_total',
    help: 'History pages read and written, by relay',
    labelNames: ['relay'],
    registers: [this.registry],
  });
  private readonly events = new Counter({
    name: 'nostr_info_backfill_events_total',
    help: 'Backfilled events written (checked and valid), by relay',
    labelNames: ['relay'],
    registers: [this.registry],
  });
  private readonly rejected = new Counter({
    name: 'nostr_info_backfill_events_rejected_total',
    help: 'Backfilled copies refused, by relay and first check failed',
    labelNames: ['relay', 'reason'],
    registers: [this.registry],
  });
  private readonly reached = new Gauge({
    name: 'nostr_info_backfill_reached_timestamp_seconds',
    help: "Unix time a relay's history is read back to",
    labelNames: ['relay'],
    registers: [this.registry],
  });
  private readonly relays = new Gauge({
    name: 'nostr_info_backfill_relays',
    help: 'Relays of the run by state: done (read down to since), stopped (a rerun resumes), pending',
    labelNames: ['state'],
    registers: [this.registry],
  });
  private readonly complete = new Gauge({
    name: 'nostr_info_backfill_complete',
    help: '1 when the last run read every relay down to since, else 0',
    registers: [this.registry],
  });

  /** A page written (its rejections by reason come with the relay's outcome). */
  page(page: HistoryPage): void {
    const relay = page.relayUrl;
    this.pages.inc({ relay });
    this.events.inc({ relay }, page.events.length);
    if (page.reachedAt !== null) this.reached.set({ relay }, page.reachedAt);
  }

  /** A relay's rejections, by reason. */
  rejections(relay: string, byReason: Partial<Record<BackfillRejectReason, number>>): void {
    for (const [reason, n] of Object.entries(byReason)) this.rejected.inc({ relay, reason }, n);
  }

  /** Relays by state while running, and the run's verdict at the end. */
  state(
    { relays, done, stopped }: { relays: number; done: number; stopped: number },
    result?: BackfillResult,
  ): void {
    this.relays.set({ state: 'done' }, done);
    this.relays.set({ state: 'stopped' }, stopped);
    this.relays.set({ state: 'pending' }, relays - done - stopped);
    if (result) this.complete.set(result.complete ? 1 : 0);
  }

  /** Pushes every metric to `url` (replacing the job's previous group). */
  async push(url: string, timeoutMs = 5000): Promise<void> {
    await new Pushgateway(url, { timeout: timeoutMs }, this.registry).push({ jobName: BACKFILL_PUSH_JOB });
  }
}
