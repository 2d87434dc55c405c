import type { Logger } from '@nostr-info/shared/log';
import type { NostrEvent } from '@nostr-info/shared/nostr';
import type { MonitorPublisher } from './publisher.js';
import { ReportSchedule } from './report-schedule.js';
import {
  type MonitorChecks,
  monitorAnnouncement,
  type RelayFacts,
  relayReport,
  reportWithdrawal,
} from './report-tags.js';

export interface Nip66MonitorOptions {
  publisher: Pick<MonitorPublisher, 'pubkey' | 'sign' | 'publish' | 'stop'>;
  /** The relays this replica holds now and has given a status (relay ids). */
  heldRelayIds: () => number[];
  /** What was recorded about them (`readRelayFacts`). */
  readFacts: (relayIds: number[]) => Promise<RelayFacts[]>;
  /** This replica publishes the monitor's kind 10166 announcement (ordinal 0 only). */
  announce: boolean;
  checks: MonitorChecks;
  logger: Pick<Logger, 'info' | 'warn'>;
}

/**
 * The NIP-66 monitor of one replica: it reports the relays this replica holds (jump hash gives
 * each relay one holder, so replicas never report the same relay) every `frequencySeconds`, and
 * a status change as soon as the flush that records it has committed (`flushed`). Reports state
 * the stored figures, so they equal what the API shows. One round runs at a time; a change that
 * arrives during a round gets the next one.
 */
export class Nip66Monitor {
  private readonly schedule = new ReportSchedule();
  private readonly o: Nip66MonitorOptions;
  private lastFullAt = Number.NEGATIVE_INFINITY;
  private current: Promise<void> | undefined;
  private pending = false;
  private stopped = false;

  constructor(options: Nip66MonitorOptions) {
    this.o = options;
  }

  /** True when the interval has come round since the last full round. */
  get fullDue(): boolean {
    return Date.now() - this.lastFullAt >= this.o.checks.frequencySeconds * 1000;
  }

  /** A flush committed; `statusReports` of its relay rows carried new status or latency. */
  flushed(statusReports: number): void {
    if (statusReports > 0) this.poke();
  }

  /** Runs a round when the interval is due (called by a timer). */
  tick(): void {
    if (this.fullDue) this.poke();
  }

  /** Finishes the round under way without retrying its failures, and starts no other. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.o.publisher.stop();
    await this.current;
  }

  private poke(): void {
    if (this.stopped) return;
    if (this.current) {
      this.pending = true;
      return;
    }
    this.current = this.round()
      .catch((err: unknown) => this.o.logger.warn({ err }, 'NIP-66 round failed; the next flush retries'))
      .finally(() => {
        this.current = undefined;
        if (this.pending) {
          this.pending = false;
          this.poke();
        }
      });
  }

  private async round(): Promise<void> {
    const full = this.fullDue;
    const startedAt = Date.now();
    const facts = await this.o.readFacts(this.o.heldRelayIds());
    const now = Math.floor(startedAt / 1000);
    const events: NostrEvent[] = [];
    if (full && this.o.announce) events.push(this.o.publisher.sign(monitorAnnouncement(this.o.checks), now));
    for (const due of this.schedule.due(facts, full, now)) {
      const template =
        due.send === 'report'
          ? relayReport(due.facts)
          : reportWithdrawal(this.o.publisher.pubkey, due.facts.url);
      events.push(this.o.publisher.sign(template, due.createdAt));
    }
    if (full) this.lastFullAt = startedAt;
    if (events.length === 0) return;
    const outcome = await this.o.publisher.publish(events);
    this.o.logger.info({ events: events.length, full, ...outcome }, 'NIP-66 events published');
  }
}
