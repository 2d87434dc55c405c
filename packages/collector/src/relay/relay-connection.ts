import type { Logger } from '@nostr-info/shared';
import WebSocket from 'ws';
import { hourOf } from '../aggregate/buckets.js';
import type { RelayStatusRow } from '../aggregate/counter-buffer.js';
import { InvalidSeen } from '../dedup/dedup.js';
import { RelaySeen } from '../dedup/relay-seen.js';
import type { ConnectionState } from '../observe/metrics.js';
import { classifyReason } from '../protocol/classify.js';
import { parseRelayMessage, RelayMessageError } from '../protocol/relay-message.js';
import { Backoff } from './backoff.js';
import type { ConnectionHost, ConnectionOptions, ResumeCheckpoint } from './connection-types.js';
import { closeGracefully } from './graceful-close.js';
import { classifySocketError } from './socket-errors.js';

export type { ConnectionHost, ConnectionOptions, ResumeCheckpoint } from './connection-types.js';
export { classifySocketError } from './socket-errors.js';

const shortText = (s: string) => s.slice(0, 300);

/** Kinds the collector subscribes to. */
export const SUBSCRIBED_KINDS = [0, 1, 3, 7, 9735, 30023, 10002];

/**
 * One relay: one socket and one subscription, reconnected with backoff, kept alive with pings,
 * resumed after a gap with a `since` that looks back behind it (see `RelaySeen`), with health
 * accounting.
 */
export class RelayConnection {
  readonly seen: RelaySeen;
  /** Copies from this relay whose signature check is still running. */
  verifying = 0;
  /** Bad copies this relay was already charged for. */
  readonly invalidSeen = new InvalidSeen();
  state: ConnectionState = 'closed';
  private ws: WebSocket | undefined;
  private readonly backoff: Backoff;
  private readonly subBackoff = new Backoff({ initialMs: 2000, maxMs: 10 * 60_000 });
  private timer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private subCounter = 0;
  private subId = '';
  private subscribed = false;
  private subscribedOnce = false;
  private reqSentAt = 0;
  private connectStartedAt = 0;
  private lastHeardAt = 0;
  private heardSincePing = true;
  private lastAccountedAt = Date.now();
  private stopped = false;
  private readonly pingIntervalMs: number;
  private readonly openTimeoutMs: number;
  private readonly maxFrameBytes: number;
  /** Events received since the last rate sample (events/s for the live feed). */
  received = 0;
  maxMessageLength: number | null = null;

  constructor(
    readonly relayId: number,
    readonly url: string,
    private readonly host: ConnectionHost,
    {
      pingIntervalMs = 30_000,
      openTimeoutMs = 10_000,
      // Real events stay far below 1 MiB; bigger frames are abuse and are skipped.
      maxFrameBytes = 1024 * 1024,
      backoffInitialMs = 1000,
      backoffMaxMs = 30 * 60_000,
      resumeLookbackSeconds = 900,
      seenCapacity = 12_288,
    }: ConnectionOptions = {},
  ) {
    this.pingIntervalMs = pingIntervalMs;
    this.openTimeoutMs = openTimeoutMs;
    this.maxFrameBytes = maxFrameBytes;
    this.backoff = new Backoff({ initialMs: backoffInitialMs, maxMs: backoffMaxMs });
    this.seen = new RelaySeen({ capacity: seenCapacity, lookbackSeconds: resumeLookbackSeconds });
  }

  private get log(): Logger {
    return this.host.logger;
  }

  /** True while the subscription is open. */
  get connected(): boolean {
    return this.subscribed && this.ws?.readyState === WebSocket.OPEN;
  }

  private setState(next: ConnectionState): void {
    if (next === this.state) return;
    this.accountHealth();
    const from = this.state;
    this.state = next;
    this.host.onStateChange(this, from, next);
  }

  private report(update: Omit<RelayStatusRow, 'relayId' | 'disconnects'> & { disconnects?: number }): void {
    this.host.buffer().reportStatus({ relayId: this.relayId, disconnects: 0, ...update });
  }

  private logLine(event: string, cls: string | null, message: string | null): void {
    this.host.buffer().addLog({ relayId: this.relayId, at: Date.now(), event, class: cls, message });
  }

  /** Adds elapsed observed (and connected) time to the hour's health counters. */
  accountHealth(now = Date.now()): void {
    const elapsed = now - this.lastAccountedAt;
    this.lastAccountedAt = now;
    if (elapsed <= 0 || this.stopped) return;
    const row = this.host.buffer().healthRow(hourOf(now), this.relayId);
    row.observedMs += elapsed;
    if (this.connected) row.connectedMs += elapsed;
  }

  /** Opens the socket (first call) — later reconnects schedule themselves. */
  start(): void {
    this.stopped = false;
    this.lastAccountedAt = Date.now();
    this.connect();
  }

  private connect(): void {
    if (this.stopped) return;
    this.setState('connecting');
    this.connectStartedAt = Date.now();
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url, {
        handshakeTimeout: this.openTimeoutMs,
        // Frames up to 16× the limit are read and dropped so the stream behind them is kept;
        // anything larger closes the socket (1009).
        maxPayload: this.maxFrameBytes * 16,
        // Compression costs more CPU than the bandwidth it saves at this event rate.
        perMessageDeflate: false,
        headers: { 'User-Agent': 'nostr-info-collector' },
      });
    } catch (err) {
      this.onFailure('error', (err as Error).message);
      return;
    }
    this.ws = ws;
    ws.on('open', () => this.onOpen(ws));
    ws.on('message', (data, isBinary) => {
      if (ws !== this.ws) return;
      this.lastHeardAt = Date.now();
      this.heardSincePing = true;
      if (isBinary) return;
      const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer).byteLength;
      if (size > this.maxFrameBytes) {
        this.host.metrics.relayMessages.inc({ relay: this.url, type: 'oversized', class: 'message-too-big' });
        this.report({ lastErrorClass: 'message-too-big', lastErrorAt: Date.now() });
        return;
      }
      this.onFrame(data.toString());
    });
    ws.on('pong', () => {
      this.heardSincePing = true;
    });
    ws.on('error', (err) => {
      if (ws !== this.ws) return;
      this.lastError = classifySocketError(err);
      this.lastErrorMessage = err.message;
    });
    ws.on('close', (code, reason) => {
      if (ws !== this.ws) return;
      this.onClose(code, reason.toString());
    });
  }

  private lastError: string | undefined;
  private lastErrorMessage: string | undefined;

  private onOpen(ws: WebSocket): void {
    if (ws !== this.ws) return;
    const now = Date.now();
    const openMs = now - this.connectStartedAt;
    const row = this.host.buffer().healthRow(hourOf(now), this.relayId);
    row.connects += 1;
    row.openLatencyMsSum += openMs;
    row.openLatencyCount += 1;
    this.lastHeardAt = now;
    this.report({ lastConnectedAt: now, openLatencyMs: openMs });
    this.logLine('connect', null, null);
    if (this.host.paused()) ws.pause();
    this.subscribe();
    this.pingTimer = setInterval(() => this.keepalive(), this.pingIntervalMs);
    this.pingTimer.unref();
  }

  private subscribe(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const nowSec = Math.floor(Date.now() / 1000);
    // First subscription: from now. Later ones look back behind the gap, so events the relay got
    // meanwhile with older timestamps arrive too; RelaySeen drops copies already credited.
    let since = nowSec;
    if (this.subscribedOnce) {
      const resume = this.seen.resumeSince(Math.floor(this.lastHeardAt / 1000) || nowSec);
      since = resume.since;
      if (resume.capped) {
        this.log.info(
          { relay: this.url, since, cappedResumes: this.seen.cappedResumes, evicted: this.seen.evicted },
          'resume window capped: the seen set was full',
        );
      }
    }
    this.subCounter += 1;
    this.subId = `ni${this.subCounter}`;
    const req = JSON.stringify(['REQ', this.subId, { kinds: SUBSCRIBED_KINDS, since }]);
    if (this.maxMessageLength !== null && req.length > this.maxMessageLength) {
      this.log.warn(
        { relay: this.url, maxMessageLength: this.maxMessageLength },
        'REQ longer than relay allows',
      );
    }
    this.reqSentAt = Date.now();
    ws.send(req);
    this.accountHealth();
    this.subscribed = true;
    this.subscribedOnce = true;
    this.setState('open');
    this.report({ status: 'online', statusChangedAt: Date.now() });
  }

  private onFrame(raw: string): void {
    if (raw.startsWith('["EVENT"')) {
      this.received += 1;
      this.host.onEventFrame(this, raw, this.lastHeardAt);
      return;
    }
    // While closing, only the events still on the wire matter.
    if (this.stopped) return;
    let message: ReturnType<typeof parseRelayMessage>;
    try {
      message = parseRelayMessage(raw);
    } catch (err) {
      if (!(err instanceof RelayMessageError)) throw err;
      this.host.metrics.relayMessages.inc({ relay: this.url, type: 'garbage', class: 'none' });
      this.host.metrics.eventsInvalid.inc({ relay: this.url, reason: 'frame' });
      return;
    }
    const m = this.host.metrics;
    switch (message.type) {
      case 'EVENT':
        // Frames like `[ "EVENT", …]` with spacing: take the slow path.
        this.received += 1;
        this.host.onEventFrame(this, raw, this.lastHeardAt);
        return;
      case 'EOSE': {
        if (message.subscriptionId !== this.subId || this.reqSentAt === 0) return;
        const eoseMs = Date.now() - this.reqSentAt;
        const row = this.host.buffer().healthRow(hourOf(Date.now()), this.relayId);
        row.eoseLatencyMsSum += eoseMs;
        row.eoseLatencyCount += 1;
        this.reqSentAt = 0;
        this.report({ eoseLatencyMs: eoseMs });
        // A relay that answered the subscription is healthy again.
        this.backoff.reset();
        this.subBackoff.reset();
        return;
      }
      case 'NOTICE': {
        const cls = classifyReason(message.message);
        m.relayMessages.inc({ relay: this.url, type: 'NOTICE', class: cls });
        this.logLine('notice', cls, shortText(message.message));
        return;
      }
      case 'CLOSED': {
        if (message.subscriptionId !== this.subId) return;
        const cls = classifyReason(message.message);
        m.relayMessages.inc({ relay: this.url, type: 'CLOSED', class: cls });
        this.logLine('closed', cls, shortText(message.message));
        this.subscribed = false;
        if (cls === 'auth-required') {
          // Not offline: the relay is up but only serves authenticated clients.
          this.setState('auth_required');
          this.report({
            status: 'auth_required',
            statusChangedAt: Date.now(),
            lastErrorClass: cls,
            lastErrorAt: Date.now(),
          });
        } else {
          this.setState('backoff');
          this.report({ lastErrorClass: cls, lastErrorAt: Date.now() });
        }
        const delay = this.subBackoff.next();
        this.clearTimer();
        this.timer = setTimeout(() => this.subscribe(), delay);
        this.timer.unref();
        return;
      }
      case 'AUTH':
        m.relayMessages.inc({ relay: this.url, type: 'AUTH', class: 'auth-required' });
        this.logLine('auth', 'auth-required', null);
        return;
      default:
        return;
    }
  }

  private keepalive(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    // While reading is paused for back-pressure, pongs cannot arrive either.
    if (this.host.paused()) {
      this.heardSincePing = true;
      return;
    }
    if (!this.heardSincePing) {
      // Nothing (not even a pong) for a whole interval: the socket is dead or the relay stalled.
      this.lastError = 'stalled';
      this.lastErrorMessage = 'no data or pong within the keepalive interval';
      ws.terminate();
      this.onClose(1006, 'keepalive timeout');
      return;
    }
    this.heardSincePing = false;
    ws.ping();
  }

  private onClose(code: number, reason: string): void {
    const wasOpen = this.subscribedOnce && this.connectStartedAt <= this.lastHeardAt;
    this.clearPing();
    this.clearTimer();
    this.accountHealth();
    this.subscribed = false;
    this.ws?.removeAllListeners();
    this.ws = undefined;
    if (this.stopped) return;
    const errorClass =
      this.lastError ?? (code === 1009 ? 'message-too-big' : wasOpen ? 'closed' : 'connect-failed');
    this.onFailure(errorClass, this.lastErrorMessage ?? (reason || `close code ${code}`));
  }

  private onFailure(errorClass: string, message: string): void {
    const now = Date.now();
    const row = this.host.buffer().healthRow(hourOf(now), this.relayId);
    row.disconnects += 1;
    row.errors += errorClass === 'closed' ? 0 : 1;
    const status = errorClass === 'stalled' ? 'stalled' : errorClass === 'closed' ? 'offline' : 'offline';
    this.report({
      status,
      statusChangedAt: now,
      lastDisconnectedAt: now,
      lastErrorClass: errorClass,
      lastErrorAt: now,
      disconnects: 1,
    });
    this.logLine(errorClass === 'closed' ? 'disconnect' : 'error', errorClass, shortText(message));
    this.lastError = undefined;
    this.lastErrorMessage = undefined;
    this.setState('backoff');
    const delay = this.backoff.next();
    this.host.metrics.reconnects.inc({ relay: this.url });
    this.timer = setTimeout(() => this.connect(), delay);
    this.timer.unref();
  }

  /** Resolves once no copy from this relay is still being verified (or after `timeoutMs`). */
  async settled(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.verifying > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }

  /**
   * Where this relay's stream stands, for the replica that watches it next: the ids already
   * credited and when the relay was last heard, so it resumes with an overlap and no double count.
   */
  checkpoint(): ResumeCheckpoint | undefined {
    if (!this.subscribedOnce) return undefined;
    return {
      lastHeardSec: Math.floor(this.lastHeardAt / 1000),
      seen: this.seen.export(),
      invalid: this.invalidSeen.export(),
    };
  }

  /** Resumes from another replica's checkpoint instead of starting at "now" (call before start). */
  resumeFrom(checkpoint: ResumeCheckpoint): void {
    this.seen.import(checkpoint.seen);
    if (Array.isArray(checkpoint.invalid)) this.invalidSeen.import(checkpoint.invalid);
    this.lastHeardAt = checkpoint.lastHeardSec * 1000;
    this.subscribedOnce = true;
  }

  /** Stops reading frames (back-pressure); TCP flow control then slows the relay down. */
  pause(): void {
    this.ws?.pause();
  }

  resume(): void {
    this.ws?.resume();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private clearPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }

  /**
   * Closes the socket for good (relay no longer ours, or shutdown). Graceful: CLOSE the
   * subscription and the socket, and keep reading until the relay's close arrives, so frames
   * already on the wire are counted before the checkpoint is handed on. Resolves once closed.
   */
  stop(graceMs = 2000): Promise<void> {
    this.accountHealth();
    this.stopped = true;
    this.clearTimer();
    this.clearPing();
    const ws = this.ws;
    this.subscribed = false;
    this.setState('closed');
    if (!ws) return Promise.resolve();
    return closeGracefully(ws, this.subId, graceMs).then(() => {
      if (this.ws === ws) this.ws = undefined;
    });
  }
}
