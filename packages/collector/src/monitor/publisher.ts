import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@nostr-info/shared/log';
import type { NostrEvent } from '@nostr-info/shared/nostr';
import { finalizeEvent, getPublicKey } from 'nostr-tools/pure';
import { Backoff } from '../relay/backoff.js';
import type { MonitorMetrics } from './monitor-metrics.js';
import type { ReportTemplate } from './report-tags.js';
import { type OkAnswer, sendBatch } from './send-batch.js';

export interface MonitorPublisherOptions {
  /** The monitor's secret key, 64 hex digits (validated by the env schema). */
  secretKey: string;
  relays: readonly string[];
  metrics: MonitorMetrics;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Tries per event and relay before it counts as a failure. */
  attempts?: number;
  /** First wait between tries; it doubles, with jitter. */
  retryInitialMs?: number;
  /** Time for one batch on one relay (dial to last OK). */
  batchTimeoutMs?: number;
}

/** What one `publish` achieved: events accepted and events given up, summed over the relays. */
export interface PublishOutcome {
  accepted: number;
  failed: number;
}

/**
 * A relay answering `duplicate:` already holds the event (NIP-01): as good as accepted, and a retry
 * after a lost OK gets exactly this answer.
 */
const stored = (answer: OkAnswer | undefined): boolean =>
  answer !== undefined && (answer.accepted || answer.message.startsWith('duplicate:'));

/**
 * Signs the monitor's events and sends them to every publish relay, each on its own: an event a
 * relay refuses or leaves unanswered is sent again after a backoff, up to `attempts` tries, then
 * counted in `publish_failures_total` and logged. A slow or failing relay delays nobody else.
 */
export class MonitorPublisher {
  /** The monitor's public key (hex): the author of its events. */
  readonly pubkey: string;
  private readonly secretKey: Uint8Array;
  private readonly relays: readonly string[];
  private readonly metrics: MonitorMetrics;
  private readonly logger: Pick<Logger, 'info' | 'warn'>;
  private readonly attempts: number;
  private readonly retryInitialMs: number;
  private readonly batchTimeoutMs: number;
  private readonly stopping = new AbortController();

  constructor({
    secretKey,
    relays,
    metrics,
    logger,
    attempts = 4,
    retryInitialMs = 2000,
    batchTimeoutMs = 15_000,
  }: MonitorPublisherOptions) {
    this.secretKey = Uint8Array.from(Buffer.from(secretKey, 'hex'));
    this.pubkey = getPublicKey(this.secretKey);
    this.relays = relays;
    this.metrics = metrics;
    this.logger = logger;
    this.attempts = attempts;
    this.retryInitialMs = retryInitialMs;
    this.batchTimeoutMs = batchTimeoutMs;
  }

  /** Signs a template as the monitor, dated `createdAt` (unix seconds). */
  sign(template: ReportTemplate, createdAt = Math.floor(Date.now() / 1000)): NostrEvent {
    const ev = finalizeEvent({ ...template, created_at: createdAt }, this.secretKey);
    return {
      id: ev.id,
      pubkey: ev.pubkey,
      created_at: ev.created_at,
      kind: ev.kind,
      tags: ev.tags,
      content: ev.content,
      sig: ev.sig,
    };
  }

  /** Sends `events` to every publish relay; resolves once each relay has them or gave up. */
  async publish(events: readonly NostrEvent[]): Promise<PublishOutcome> {
    const outcomes = await Promise.all(this.relays.map((url) => this.toRelay(url, events)));
    return outcomes.reduce((a, b) => ({ accepted: a.accepted + b.accepted, failed: a.failed + b.failed }), {
      accepted: 0,
      failed: 0,
    });
  }

  /** Cuts short the waits between retries (shutdown); events still pending count as failed. */
  stop(): void {
    this.stopping.abort();
  }

  private async toRelay(url: string, events: readonly NostrEvent[]): Promise<PublishOutcome> {
    const backoff = new Backoff({ initialMs: this.retryInitialMs, maxMs: 60_000 });
    let pending = [...events];
    let accepted = 0;
    let lastReason = '';
    for (let attempt = 1; pending.length > 0 && attempt <= this.attempts; attempt += 1) {
      if (attempt > 1 && !(await this.wait(backoff.next()))) break;
      const answers = await sendBatch(url, pending, { timeoutMs: this.batchTimeoutMs });
      const left: NostrEvent[] = [];
      for (const event of pending) {
        const answer = answers.get(event.id);
        if (stored(answer)) {
          accepted += 1;
          this.metrics.published.inc({ relay: url, kind: String(event.kind) });
        } else {
          left.push(event);
          lastReason = answer ? `refused: ${answer.message}` : 'no OK';
        }
      }
      pending = left;
    }
    for (const event of pending) this.metrics.failures.inc({ relay: url, kind: String(event.kind) });
    if (pending.length > 0)
      this.logger.warn(
        { relay: url, failed: pending.length, reason: lastReason },
        'NIP-66 events not published',
      );
    return { accepted, failed: pending.length };
  }

  /** Waits `ms` unless stopping; false when stopped. */
  private async wait(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: this.stopping.signal });
      return true;
    } catch {
      return false;
    }
  }
}
