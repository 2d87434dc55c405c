import { hourOf } from '../aggregate/buckets.js';
import type { CounterBuffer, HeldRelay, RelayStatusRow } from '../aggregate/counter-buffer.js';
import type { CollectorMetrics, ConnectionState } from '../observe/metrics.js';
import { classifyReason } from '../protocol/classify.js';
import type { OutageCause } from './outage-cause.js';
import { outageSink } from './outage-sink.js';
import { OutageTracker, type OutageTrackerOptions } from './outage-tracker.js';
import { type Restriction, restrictionOf } from './restriction.js';

export type StatusUpdate = Omit<RelayStatusRow, 'relayId' | 'disconnects'> & { disconnects?: number };

type Status = NonNullable<RelayStatusRow['status']>;

const shortText = (s: string) => s.slice(0, 300);

/** What health accounting needs from the collector: its metrics and the live counter buffer. */
export interface HealthHost {
  metrics: CollectorMetrics;
  /** The live counter buffer (replaced at every flush, so always read it through the host). */
  buffer(): CounterBuffer;
}

/** Tunables of `RelayHealth`. */
export interface RelayHealthOptions {
  /** How long a subscription may go unanswered before the relay is `unresponsive`. */
  answerTimeoutMs?: number;
  /** Told when serving starts or stops on its own account (an answer, a refusal, the timeout). */
  onState?: (state: ConnectionState) => void;
  /** Grace and merge window of the relay's outages (see `OutageTracker`). */
  outages?: OutageTrackerOptions;
}

/**
 * Where the relay stands with the collector's subscription:
 * - `down`: not watched by this connection (before its start, after its stop);
 * - `retrying`: waiting to connect again after a failure;
 * - `connecting`: opening the socket;
 * - `idle`: socket open, no subscription in force (before the REQ, or after a CLOSED);
 * - `waiting`: REQ sent, not answered yet;
 * - `serving`: the relay answered (EOSE or an event): uptime;
 * - `refused`: the relay is up but serves only authenticated or paying clients.
 */
type Phase = 'down' | 'retrying' | 'connecting' | 'idle' | 'waiting' | 'serving' | 'refused';

/**
 * One relay's health accounting: observed, serving and restricted time, connects, latencies and
 * failures in the hour's health counters, the latest status, connection log lines (into the host's
 * live counter buffer) and the relay-message metrics.
 *
 * Uptime means serving: a relay is `online` once it answers the subscription, not when its socket
 * opens. A subscription unanswered for `answerTimeoutMs` makes it `unresponsive` (a relay that
 * accepts sockets and answers pings but serves nothing earns no uptime). A relay that refuses with
 * `auth-required` or a payment demand (CLOSED, or NOTICE / AUTH challenge and nothing served) is
 * `auth_required` / `payment_required`: that time is restricted, left out of its uptime rather than
 * scored as downtime. The time from opening a socket to learning of a refusal counts as
 * restricted too, so a relay that always refuses has no uptime at all rather than 0 %.
 */
export class RelayHealth {
  private lastAccountedAt = Date.now();
  /** The last status this replica reported for the relay (undefined: none since it took it). */
  private status: RelayStatusRow['status'];
  /** When that status began. */
  private statusChangedAt: number | undefined;
  private phase: Phase = 'down';
  /** Time since the socket started opening, not served: restricted if the relay then refuses. */
  private pendingMs = 0;
  /** A restriction the relay hinted at (NOTICE, AUTH challenge) on this socket. */
  private hint: Restriction | undefined;
  private answerTimer: NodeJS.Timeout | undefined;
  /** The answer timeout ran out on this socket without an answer. */
  private timedOut = false;
  private readonly answerTimeoutMs: number;
  private readonly onState: ((state: ConnectionState) => void) | undefined;
  private readonly outages: OutageTracker;

  constructor(
    private readonly relayId: number,
    private readonly url: string,
    private readonly host: HealthHost,
    { answerTimeoutMs = 15_000, onState, outages }: RelayHealthOptions = {},
  ) {
    this.answerTimeoutMs = answerTimeoutMs;
    this.onState = onState;
    this.outages = new OutageTracker(outageSink(relayId, host), outages);
  }

  /** The relay as held by this replica: the status it last reported and since when (if any yet). */
  held(): HeldRelay {
    return { relayId: this.relayId, status: this.status, statusChangedAt: this.statusChangedAt };
  }

  /** True while the relay serves the subscription (it answered, and nothing ended that since). */
  get serving(): boolean {
    return this.phase === 'serving';
  }

  /** A frame over the size limit, dropped unread. */
  oversized(): void {
    this.host.metrics.relayMessages.inc({ relay: this.url, type: 'oversized', class: 'message-too-big' });
    this.report({ lastErrorClass: 'message-too-big', lastErrorAt: Date.now() });
  }

  /** A frame that is not a relay message at all. */
  garbage(): void {
    this.host.metrics.eventsInvalid.inc({ relay: this.url, reason: 'frame' });
    this.host.metrics.relayMessages.inc({ relay: this.url, type: 'garbage', class: 'none' });
  }

  /** A NOTICE: logged; one stating a restriction counts while the relay serves nothing. */
  notice(text: string): void {
    const cls = classifyReason(text);
    this.host.metrics.relayMessages.inc({ relay: this.url, type: 'NOTICE', class: cls });
    this.logLine('notice', cls, shortText(text));
    const restriction = restrictionOf(cls, text);
    if (restriction) this.hinted(restriction);
  }

  /** A NIP-42 AUTH challenge: many relays send one and serve anyway; it counts if they do not. */
  auth(): void {
    this.host.metrics.relayMessages.inc({ relay: this.url, type: 'AUTH', class: 'auth-required' });
    this.logLine('auth', 'auth-required', null);
    this.hinted('auth_required');
  }

  /**
   * The relay CLOSED the subscription. A refusal for want of authentication or payment makes it
   * `auth_required` / `payment_required` (returned); any other reason ends serving until the
   * subscription is answered again.
   */
  closed(text: string, now = Date.now()): Restriction | undefined {
    const cls = classifyReason(text);
    this.host.metrics.relayMessages.inc({ relay: this.url, type: 'CLOSED', class: cls });
    this.logLine('closed', cls, shortText(text));
    this.report({ lastErrorClass: cls, lastErrorAt: now });
    const restriction = restrictionOf(cls, text);
    if (restriction) this.refuse(restriction, now);
    else if (this.phase === 'serving') {
      this.move('idle', now);
      this.outages.stopped(now, { cause: 'subscription_closed', detail: cls });
    }
    return restriction;
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

  /** Starts accounting time from `now` (the connection starts, and connects at once). */
  restart(now = Date.now()): void {
    this.lastAccountedAt = now;
    this.phase = 'connecting';
    this.resetSocket();
    this.outages.begin(now);
  }

  /** A socket starts opening (again, after a failure: the wait before it is plain downtime). */
  connecting(now = Date.now()): void {
    if (this.phase === 'connecting') return;
    this.move('connecting', now);
    this.pendingMs = 0;
  }

  /** Adds elapsed observed (and serving or restricted) time to the hour's health counters. */
  account(now: number, stopped: boolean): void {
    const elapsed = now - this.lastAccountedAt;
    this.lastAccountedAt = now;
    if (stopped) return;
    this.outages.check(now);
    if (elapsed <= 0) return;
    const row = this.host.buffer().healthRow(hourOf(now), this.relayId, now);
    const m = this.host.metrics;
    row.observedMs += elapsed;
    m.relayObservedSeconds.inc({ relay: this.url }, elapsed / 1000);
    if (this.phase === 'serving') {
      row.connectedMs += elapsed;
      m.relayConnectedSeconds.inc({ relay: this.url }, elapsed / 1000);
    } else if (this.phase === 'refused') {
      row.restrictedMs += elapsed;
      m.relayRestrictedSeconds.inc({ relay: this.url }, elapsed / 1000);
    } else if (this.phase !== 'retrying' && this.phase !== 'down') this.pendingMs += elapsed;
  }

  /** The relay's socket is open and serving (or not any more). */
  up(isUp: boolean): void {
    this.host.metrics.relayUp.set({ relay: this.url }, isUp ? 1 : 0);
  }

  /** The relay left this replica: its gauges go (another replica reports it now). */
  released(): void {
    this.phase = 'down';
    this.resetSocket();
    const m = this.host.metrics;
    if (this.outages.ongoing) m.relaysInOutage.dec();
    this.outages.release();
    for (const gauge of [m.relayUp, m.relayOpenSeconds, m.relayEoseSeconds])
      gauge.remove({ relay: this.url });
  }

  /** The socket opened `openMs` after the connect started. */
  opened(now: number, openMs: number): void {
    this.move('idle', now);
    const buffer = this.host.buffer();
    const row = buffer.healthRow(hourOf(now), this.relayId, now);
    row.connects += 1;
    row.openLatencyMsSum += openMs;
    row.openLatencyCount += 1;
    buffer.latency.record(this.relayId, 'open', openMs, now);
    this.host.metrics.relayOpenSeconds.set({ relay: this.url }, openMs / 1000);
    this.report({ lastConnectedAt: now, openLatencyMs: openMs });
    this.logLine('connect', null, null);
  }

  /**
   * A REQ went out on the open socket. Its answer is awaited; after `answerTimeoutMs` without one
   * the relay is `unresponsive` (or restricted, if it hinted at a restriction meanwhile).
   */
  requested(now = Date.now()): void {
    if (this.phase === 'idle') this.move('waiting', now);
    if (this.phase === 'serving' || this.phase === 'refused' || this.answerTimer) return;
    this.answerTimer = setTimeout(() => this.answerOverdue(), this.answerTimeoutMs);
    this.answerTimer.unref();
  }

  /**
   * The relay answered the subscription (EOSE, or an event on it): it serves. Called for every
   * event frame, so the common case costs one comparison.
   */
  answered(now = Date.now()): void {
    if (this.phase === 'serving' || this.phase === 'down' || this.phase === 'retrying') return;
    this.move('serving', now);
    this.pendingMs = 0;
    this.hint = undefined;
    this.timedOut = false;
    this.clearTimer();
    this.setStatus('online', now);
    this.outages.served(now);
    this.onState?.('open');
  }

  /** The relay answered the subscription with EOSE after `eoseMs`. */
  eose(eoseMs: number, now = Date.now()): void {
    const buffer = this.host.buffer();
    const row = buffer.healthRow(hourOf(now), this.relayId, now);
    row.eoseLatencyMsSum += eoseMs;
    row.eoseLatencyCount += 1;
    buffer.latency.record(this.relayId, 'eose', eoseMs, now);
    this.host.metrics.relayEoseSeconds.set({ relay: this.url }, eoseMs / 1000);
    this.report({ eoseLatencyMs: eoseMs });
  }

  /** The socket failed or closed (`errorClass` 'closed' for an orderly close), for `cause`. */
  failed(now: number, errorClass: string, message: string, cause: OutageCause): void {
    this.move('retrying', now);
    this.resetSocket();
    this.outages.stopped(now, cause);
    const row = this.host.buffer().healthRow(hourOf(now), this.relayId, now);
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

  /** A restriction stated while nothing is served: it decides once the answer is overdue. */
  private hinted(restriction: Restriction): void {
    if (this.phase !== 'idle' && this.phase !== 'waiting' && this.phase !== 'refused') return;
    this.hint = restriction;
    if (this.timedOut && this.phase !== 'refused') this.refuse(restriction, Date.now());
  }

  private refuse(restriction: Restriction, now: number): void {
    this.move('refused', now);
    // The socket's time so far was spent learning that the relay refuses: restricted, not down.
    if (this.pendingMs > 0) {
      this.host.buffer().healthRow(hourOf(now), this.relayId, now).restrictedMs += this.pendingMs;
      this.host.metrics.relayRestrictedSeconds.inc({ relay: this.url }, this.pendingMs / 1000);
      this.pendingMs = 0;
    }
    this.hint = restriction;
    this.clearTimer();
    this.setStatus(restriction, now);
    this.outages.stopped(now, { cause: restriction, detail: null });
    this.onState?.(restriction);
  }

  private answerOverdue(): void {
    this.answerTimer = undefined;
    if (this.phase !== 'idle' && this.phase !== 'waiting') return;
    this.timedOut = true;
    const now = Date.now();
    if (this.hint) {
      this.refuse(this.hint, now);
      return;
    }
    this.account(now, false);
    this.pendingMs = 0;
    this.host.metrics.relayUnanswered.inc({ relay: this.url });
    this.logLine('unresponsive', null, `no answer to the subscription within ${this.answerTimeoutMs} ms`);
    this.setStatus('unresponsive', now);
    this.outages.stopped(now, { cause: 'unresponsive', detail: null });
    this.onState?.('unresponsive');
  }

  /** Accounts the time so far to the phase it belongs to, then moves on. */
  private move(phase: Phase, now: number): void {
    this.account(now, false);
    this.phase = phase;
  }

  private setStatus(status: Status, now: number): void {
    if (status === this.status) return;
    this.report({ status, statusChangedAt: now });
  }

  private resetSocket(): void {
    this.clearTimer();
    this.pendingMs = 0;
    this.hint = undefined;
    this.timedOut = false;
  }

  private clearTimer(): void {
    if (this.answerTimer) clearTimeout(this.answerTimer);
    this.answerTimer = undefined;
  }
}
