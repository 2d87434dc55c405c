import { randomUUID } from 'node:crypto';
import type { Logger } from '@nostr-info/shared';
import WebSocket from 'ws';
import type { HeldRelay } from '../aggregate/counter-buffer.js';
import type { InvalidSeen } from '../dedup/invalid-seen.js';
import type { RelaySeen } from '../dedup/relay-seen.js';
import type { ConnectionState } from '../observe/metrics.js';
import { isEventFrame, parseRelayMessage, RelayMessageError } from '../protocol/relay-message.js';
import { Backoff } from './backoff.js';
import type { ConnectionHost, ConnectionOptions, ResumeCheckpoint } from './connection-types.js';
import { closeGracefully } from './graceful-close.js';
import { Keepalive } from './keepalive.js';
import { MAX_FRAME_BYTES, openSocket } from './open-socket.js';
import { RelayHealth } from './relay-health.js';
import { type PagerOutcome, ReplayPager } from './replay-pager.js';
import { ResumePoint } from './resume-point.js';
import { classifySocketError } from './socket-errors.js';

export type { ConnectionHost, ConnectionOptions, ResumeCheckpoint } from './connection-types.js';
export { classifySocketError } from './socket-errors.js';

/** Kinds the collector subscribes to. */
export const SUBSCRIBED_KINDS = [0, 1, 3, 7, 9735, 30023, 10002];

/**
 * One relay: one socket and one subscription, reconnected with backoff, kept alive with pings,
 * resumed after a gap with a `since` that looks back behind it (see `RelaySeen`), with health
 * accounting (`RelayHealth`), keepalive (`Keepalive`) and resume state (`ResumePoint`) apart.
 */
/** Holder ids: this process, then a serial per connection (see `Handover`). */
const PROCESS_ID = randomUUID();
let connectionSerial = 0;

/** A subscription answered this long before it fails counts as recovered: the backoff starts over. */
const STABLE_MS = 60_000;

export class RelayConnection {
  /** Copies from this relay whose signature check is still running. */
  verifying = 0;
  /** Who holds the relay while this connection has it (one id per connection, see `Handover`). */
  readonly holder = `${PROCESS_ID}:${++connectionSerial}`;
  /** True once `start()` ran (before it, a handed-over checkpoint may still be imported). */
  started = false;
  state: ConnectionState = 'closed';
  private ws: WebSocket | undefined;
  private readonly backoff: Backoff;
  private readonly subBackoff = new Backoff({ initialMs: 2000, maxMs: 10 * 60_000 });
  private timer: NodeJS.Timeout | undefined;
  /** When the relay last answered the subscription (EOSE) with no failure since (ms; 0 = not). */
  private answeredAt = 0;
  /** When the current socket opened (ms; before `connectStartedAt` while it has not). */
  private openedAt = 0;
  private readonly publicOnly: boolean;
  private readonly keepalive: Keepalive;
  private readonly health: RelayHealth;
  private readonly point: ResumePoint;
  private readonly pager = new ReplayPager();
  private subCounter = 0;
  private subId = '';
  private subscribed = false;
  private reqSentAt = 0;
  private connectStartedAt = 0;
  private stopped = false;
  private readonly openTimeoutMs: number;
  private readonly maxFrameBytes: number;
  /** Events received since the last rate sample (events/s for the live feed). */
  received = 0;
  maxMessageLength: number | null = null;
  /** NIP-11 `max_subscriptions`: below 2, a resumed replay cannot be paged beside the live one. */
  maxSubscriptions: number | null = null;

  constructor(
    readonly relayId: number,
    readonly url: string,
    private readonly host: ConnectionHost,
    {
      pingIntervalMs = 30_000,
      openTimeoutMs = 10_000,
      // Real events stay far below 1 MiB; bigger frames are abuse and are skipped.
      maxFrameBytes = MAX_FRAME_BYTES,
      backoffInitialMs = 1000,
      backoffMaxMs = 30 * 60_000,
      resumeLookbackSeconds = 900,
      resumeMaxAgeSeconds = 82_800,
      seenCapacity = 12_288,
      publicOnly = false,
    }: ConnectionOptions = {},
  ) {
    this.publicOnly = publicOnly;
    this.openTimeoutMs = openTimeoutMs;
    this.maxFrameBytes = maxFrameBytes;
    this.backoff = new Backoff({ initialMs: backoffInitialMs, maxMs: backoffMaxMs });
    this.point = new ResumePoint({
      capacity: seenCapacity,
      lookbackSeconds: resumeLookbackSeconds,
      maxAgeSeconds: resumeMaxAgeSeconds,
    });
    this.health = new RelayHealth(relayId, url, host);
    this.keepalive = new Keepalive(
      pingIntervalMs,
      () => this.ws,
      () => host.paused(),
      (ws) => this.onStall(ws),
    );
  }

  /** Ids this relay delivered recently (a resumed subscription's replay is not credited twice). */
  get seen(): RelaySeen {
    return this.point.seen;
  }

  /** Bad copies this relay was already charged for. */
  get invalidSeen(): InvalidSeen {
    return this.point.invalidSeen;
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
    this.state = next;
    this.health.up(next === 'open');
  }

  /** The relay as held by this replica: the status it last reported and since when (if any yet). */
  held(): HeldRelay {
    return {
      relayId: this.relayId,
      status: this.health.status,
      statusChangedAt: this.health.statusChangedAt,
    };
  }

  /** Adds elapsed observed (and connected) time to the hour's health counters. */
  accountHealth(now = Date.now()): void {
    this.health.account(now, this.connected, this.stopped);
  }

  /** Opens the socket (first call) — later reconnects schedule themselves. */
  start(): void {
    this.started = true;
    this.stopped = false;
    this.health.restart();
    this.connect();
  }

  private connect(): void {
    if (this.stopped) return;
    this.setState('connecting');
    this.connectStartedAt = Date.now();
    let ws: WebSocket;
    try {
      ws = openSocket(this.url, this.openTimeoutMs, this.maxFrameBytes, this.publicOnly);
    } catch (err) {
      this.onFailure(classifySocketError(err as Error), (err as Error).message);
      return;
    }
    this.ws = ws;
    ws.on('open', () => this.onOpen(ws));
    ws.on('message', (data, isBinary) => {
      if (ws !== this.ws) return;
      this.point.lastHeardAt = Date.now();
      this.keepalive.heard();
      if (isBinary) return;
      const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer).byteLength;
      if (size > this.maxFrameBytes) {
        this.host.metrics.relayMessages.inc({ relay: this.url, type: 'oversized', class: 'message-too-big' });
        this.health.report({ lastErrorClass: 'message-too-big', lastErrorAt: Date.now() });
        return;
      }
      const frame = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data);
      // EVENT frames go on as bytes: copies already counted are recognised without decoding.
      if (isEventFrame(frame)) {
        if (this.pager.active) this.pager.note(frame);
        this.deliverEvent(ws, frame);
        return;
      }
      this.onFrame(ws, frame.toString());
    });
    ws.on('pong', () => this.keepalive.heard());
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
    // Not "heard": the resumed REQ looks back behind the last time the relay sent something,
    // before the gap, so a gap longer than the look-back loses nothing the relay holds.
    this.openedAt = now;
    this.health.opened(now, now - this.connectStartedAt);
    if (this.host.paused()) ws.pause();
    this.subscribe();
    this.keepalive.start();
  }

  private subscribe(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    // First subscription: from now. Later ones look back behind the gap, so events the relay got
    // meanwhile with older timestamps arrive too; RelaySeen drops copies already credited.
    const resumed = this.point.subscribedOnce;
    const { since, capped } = this.point.nextSince();
    if (capped) {
      this.host.metrics.resumesCapped.inc({ relay: this.url });
      this.log.info(
        { relay: this.url, since, cappedResumes: this.seen.cappedResumes, evicted: this.seen.evicted },
        'resume window capped: the seen set was full',
      );
    }
    this.subCounter += 1;
    this.subId = `ni${this.subCounter}`;
    const filter = { kinds: SUBSCRIBED_KINDS, since };
    const req = JSON.stringify(['REQ', this.subId, filter]);
    // A resumed replay may be cut at the relay's limit: page it back to `since` after its EOSE.
    // A page still open from an earlier replay on this socket is closed first.
    const stale = resumed
      ? this.pager.begin(this.subId, filter, (this.maxSubscriptions ?? 2) >= 2)
      : this.pager.abandon();
    if (stale) ws.send(stale);
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
    this.point.subscribedOnce = true;
    this.setState('open');
    this.health.report({ status: 'online', statusChangedAt: Date.now() });
  }

  /**
   * Hands an EVENT frame on, whichever way it was recognised. A stopping connection still hands
   * on what was on the wire (counted before its checkpoint is handed over).
   */
  private deliverEvent(ws: WebSocket, frame: Buffer): void {
    this.received += 1;
    this.host.onEventFrame(this, frame, this.point.lastHeardAt);
    // A closing socket may be out of the collector's reach (a relay given up): it follows the
    // back-pressure itself.
    if (this.stopped && this.host.paused()) ws.pause();
  }

  private onFrame(ws: WebSocket, raw: string): void {
    let message: ReturnType<typeof parseRelayMessage>;
    try {
      message = parseRelayMessage(raw);
    } catch (err) {
      if (!(err instanceof RelayMessageError)) throw err;
      if (!this.stopped) this.health.garbage();
      return;
    }
    if (message.type === 'EVENT') {
      // Frames like `[ "EVENT", …]` with spacing take this slower path, to the same end.
      if (this.pager.active) this.pager.noteParsed(message.subscriptionId, message.event);
      this.deliverEvent(ws, Buffer.from(raw));
      return;
    }
    // While closing, only the events still on the wire matter.
    if (this.stopped) return;
    switch (message.type) {
      case 'EOSE': {
        this.pageReplay(message.subscriptionId);
        if (message.subscriptionId !== this.subId || this.reqSentAt === 0) return;
        const eoseMs = Date.now() - this.reqSentAt;
        this.reqSentAt = 0;
        this.health.eose(eoseMs);
        // Healthy from here; the backoff starts over only once it has stayed so for a while, or
        // a relay that answers and then drops would be redialled (and replayed) every second.
        this.answeredAt = Date.now();
        return;
      }
      case 'NOTICE':
        this.health.notice(message.message);
        return;
      case 'CLOSED': {
        const paged = this.pager.closed(message.subscriptionId);
        if (paged) this.replayDone(paged, message.message);
        if (message.subscriptionId !== this.subId) return;
        const cls = this.health.closed(message.message);
        this.subscribed = false;
        if (cls === 'auth-required') {
          // Not offline: the relay is up but only serves authenticated clients.
          this.setState('auth_required');
          this.health.report({
            status: 'auth_required',
            statusChangedAt: Date.now(),
            lastErrorClass: cls,
            lastErrorAt: Date.now(),
          });
        } else {
          this.setState('backoff');
          this.health.report({ lastErrorClass: cls, lastErrorAt: Date.now() });
        }
        if (this.stableFor() >= STABLE_MS) this.subBackoff.reset();
        this.answeredAt = 0;
        const delay = this.subBackoff.next();
        this.clearTimer();
        this.timer = setTimeout(() => this.subscribe(), delay);
        this.timer.unref();
        return;
      }
      case 'AUTH':
        this.health.auth();
        return;
      default:
        return;
    }
  }

  /** After an EOSE of a replay being paged: closes the finished page and asks for the next. */
  private pageReplay(subId: string): void {
    const step = this.pager.eose(subId, this.seen.lowest);
    if (!step) return;
    const ws = this.ws;
    if (ws?.readyState === WebSocket.OPEN) {
      if (step.close) ws.send(step.close);
      if (step.req) {
        ws.send(step.req);
        this.host.metrics.replayPages.inc({ relay: this.url });
      }
    }
    if (step.done) this.replayDone(step.done);
  }

  private replayDone(outcome: PagerOutcome, reason?: string): void {
    if (!outcome.truncated) {
      if (outcome.pages > 1)
        this.log.debug({ relay: this.url, pages: outcome.pages }, 'resumed replay paged');
      return;
    }
    this.host.metrics.replaysTruncated.inc({ relay: this.url });
    this.log.info(
      { relay: this.url, pages: outcome.pages, reason },
      'resumed replay not paged to the end of the window: older events may be missed',
    );
  }

  /** Nothing (not even a pong) for a whole keepalive interval: the socket is dead or stalled. */
  private onStall(ws: WebSocket): void {
    this.lastError = 'stalled';
    this.lastErrorMessage = 'no data or pong within the keepalive interval';
    ws.terminate();
    this.onClose(1006, 'keepalive timeout');
  }

  private onClose(code: number, reason: string): void {
    const wasOpen = this.point.subscribedOnce && this.connectStartedAt <= this.openedAt;
    this.keepalive.stop();
    this.clearTimer();
    this.accountHealth();
    this.subscribed = false;
    this.pager.reset();
    this.ws?.removeAllListeners();
    this.ws = undefined;
    if (this.stopped) return;
    const errorClass =
      this.lastError ?? (code === 1009 ? 'message-too-big' : wasOpen ? 'closed' : 'connect-failed');
    this.onFailure(errorClass, this.lastErrorMessage ?? (reason || `close code ${code}`));
  }

  private onFailure(errorClass: string, message: string): void {
    this.health.failed(Date.now(), errorClass, message);
    this.lastError = undefined;
    this.lastErrorMessage = undefined;
    this.setState('backoff');
    if (this.stableFor() >= STABLE_MS) {
      this.backoff.reset();
      this.subBackoff.reset();
    }
    this.answeredAt = 0;
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

  /** Where this relay's stream stands, for the replica that watches it next (see `ResumePoint`). */
  checkpoint(): ResumeCheckpoint | undefined {
    return this.point.checkpoint();
  }

  /** Resumes from another replica's checkpoint instead of starting at "now" (call before start). */
  resumeFrom(checkpoint: ResumeCheckpoint): void {
    this.point.resumeFrom(checkpoint);
  }

  /** Stops reading frames (back-pressure); TCP flow control then slows the relay down. */
  pause(): void {
    this.ws?.pause();
  }

  resume(): void {
    this.ws?.resume();
  }

  /** How long the subscription has been answered (EOSE) without a failure since; 0 if it is not. */
  private stableFor(now = Date.now()): number {
    return this.answeredAt > 0 ? now - this.answeredAt : 0;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
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
    this.keepalive.stop();
    const ws = this.ws;
    this.subscribed = false;
    this.setState('closed');
    this.health.released();
    if (!ws) return Promise.resolve();
    return closeGracefully(ws, this.subId, graceMs, !this.host.paused()).then(() => {
      if (this.ws === ws) this.ws = undefined;
    });
  }
}
