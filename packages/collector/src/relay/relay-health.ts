import { hourOf } from '../aggregate/buckets.js';
import type { CounterBuffer, HeldRelay, RelayStatusRow } from '../aggregate/counter-buffer.js';
import type { CollectorMetrics } from '../observe/metrics.js';
import { classifyReason } from '../protocol/classify.js';

export type StatusUpdate = Omit<RelayStatusRow, 'relayId' | 'disconnects'> & { disconnects?: number };

const shortText = (s: string) => s.slice(0, 300);

/** What health accounting needs from the collector: its metrics and the live counter buffer. */
export interface HealthHost {
  metrics: CollectorMetrics;
  /** The live counter buffer (replaced at every flush, so always read it through the host). */
  buffer(): CounterBuffer;
}

/**
 * One relay's health accounting: observed and connected time, connects, latencies and failures in
 * the hour's health counters, the latest status, connection log lines (into the host's live
 * counter buffer) and the relay-message metrics.
 */
export class RelayHealth {
  private lastAccountedAt = Date.now();
  /** The last status this replica reported for the relay (undefined: none since it took it). */
  private status: RelayStatusRow['status'];
  /** When that status began. */
  private statusChangedAt: number | undefined;

  constructor(
    private readonly relayId: number,
    private readonly url: string,
    private readonly host: HealthHost,
  ) {}

  /** The relay as held by this replica: the status it last reported and since when (if any yet). */
  held(): HeldRelay {
    return { relayId: this.relayId, status: this.status, statusChangedAt: this.statusChangedAt };
  }

  /** A frame over the size limit, dropped unread. */
  oversized(): void {
    this.host.metrics.relayMessages.inc({ relay: this.url, type: 'oversized', class: 'message-too-big' });
    this.report({ lastErrorClass: 'message-too-big', lastErrorAt: Date.now() });
  }

  /** A frame that is not a relay message at all. */
  garbage(): void {
    this.host.metrics.relayMessages.inc({ relay: this.url, type: 'garbage', class: 'none' });
    this.host.metrics.eventsInvalid.inc({ relay: this.url, reason: 'frame' });
  }

  notice(text: string): void {
    const cls = classifyReason(text);
    this.host.metrics.relayMessages.inc({ relay: this.url, type: 'NOTICE', class: cls });
    this.logLine('notice', cls, shortText(text));
  }

  auth(): void {
    this.host.metrics.relayMessages.inc({ relay: this.url, type: 'AUTH', class: 'auth-required' });
    this.logLine('auth', 'auth-required', null);
  }

  /** The relay CLOSED the subscription; returns the reason's class. */
  closed(text: string): string {
    const cls = classifyReason(text);
    this.host.metrics.relayMessages.inc({ relay: this.url, type: 'CLOSED', class: cls });
    this.logLine('closed', cls, shortText(text));
    return cls;
  }

  report(update: StatusUpdate): void {
    if (update.status !== undefined) {
      this.status = update.status;
      this.statusChangedAt = update.statusChangedAt ?? Date.now();
    }
    this.host.buffer().reportStatus({ relayId: this.relayId, disconnects: 0, ...update });
  }

  logLine(event: string, cls: string | null, message: string | null): void {
    this.host.buffer().addLog({ relayId: this.relayId, at: Date.now(), event, class: cls, message });
  }

  /** Starts accounting time from `now` (the connection starts). */
  restart(now = Date.now()): void {
    this.lastAccountedAt = now;
  }

  /** Adds elapsed observed (and connected) time to the hour's health counters. */
  account(now: number, connected: boolean, stopped: boolean): void {
    const elapsed = now - this.lastAccountedAt;
    this.lastAccountedAt = now;
    if (elapsed <= 0 || stopped) return;
    const row = this.host.buffer().healthRow(hourOf(now), this.relayId);
    row.observedMs += elapsed;
    this.host.metrics.relayObservedSeconds.inc({ relay: this.url }, elapsed / 1000);
    if (connected) {
      row.connectedMs += elapsed;
      this.host.metrics.relayConnectedSeconds.inc({ relay: this.url }, elapsed / 1000);
    }
  }

  /** The relay's socket is open and subscribed (or not any more). */
  up(isUp: boolean): void {
    this.host.metrics.relayUp.set({ relay: this.url }, isUp ? 1 : 0);
  }

  /** The relay left this replica: its gauges go (another replica reports it now). */
  released(): void {
    const m = this.host.metrics;
    for (const gauge of [m.relayUp, m.relayOpenSeconds, m.relayEoseSeconds])
      gauge.remove({ relay: this.url });
  }

  /** The socket opened `openMs` after the connect started. */
  opened(now: number, openMs: number): void {
    const row = this.host.buffer().healthRow(hourOf(now), this.relayId);
    row.connects += 1;
    row.openLatencyMsSum += openMs;
    row.openLatencyCount += 1;
    this.host.metrics.relayOpenSeconds.set({ relay: this.url }, openMs / 1000);
    this.report({ lastConnectedAt: now, openLatencyMs: openMs });
    this.logLine('connect', null, null);
  }

  /** The relay answered the subscription with EOSE after `eoseMs`. */
  eose(eoseMs: number): void {
    const row = this.host.buffer().healthRow(hourOf(Date.now()), this.relayId);
    row.eoseLatencyMsSum += eoseMs;
    row.eoseLatencyCount += 1;
    this.host.metrics.relayEoseSeconds.set({ relay: this.url }, eoseMs / 1000);
    this.report({ eoseLatencyMs: eoseMs });
  }

  /** The socket failed or closed (`errorClass` 'closed' for an orderly close). */
  failed(now: number, errorClass: string, message: string): void {
    const row = this.host.buffer().healthRow(hourOf(now), this.relayId);
    row.disconnects += 1;
    row.errors += errorClass === 'closed' ? 0 : 1;
    this.host.metrics.relayErrors.inc({ relay: this.url, class: errorClass });
    this.report({
      status: errorClass === 'stalled' ? 'stalled' : 'offline',
      statusChangedAt: now,
      lastDisconnectedAt: now,
      lastErrorClass: errorClass,
      lastErrorAt: now,
      disconnects: 1,
    });
    this.logLine(errorClass === 'closed' ? 'disconnect' : 'error', errorClass, shortText(message));
  }
}
