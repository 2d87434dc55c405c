import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { HeldRelay } from '../aggregate/counter-buffer.js';
import type { ResumeMark } from '../aggregate/durable-ledger.js';
import type { InvalidSeen } from '../dedup/invalid-seen.js';
import type { RelaySeen } from '../dedup/relay-seen.js';
import type { ConnectionState } from '../observe/metrics.js';
import type { OpenSubscriptions } from '../protocol/subscription-filter.js';
import type {
  ConnectionHost,
  ConnectionOptions,
  FrameSource,
  RelayLimits,
  ResumeCheckpoint,
} from './connection-types.js';
import { FrameReader } from './frame-reader.js';
import { closeGracefully } from './graceful-close.js';
import { Keepalive } from './keepalive.js';
import { MAX_FRAME_BYTES, openSocket } from './open-socket.js';
import { causeOfClose, causeOfSocketError, type OutageCause } from './outage-cause.js';
import { RelayHealth } from './relay-health.js';
import { RelaySubscription } from './relay-subscription.js';
import { ResumePoint } from './resume-point.js';
import { RetryDelays } from './retry-delays.js';
import { classifySocketError } from './socket-errors.js';

export type {
  ConnectionHost,
  ConnectionOptions,
  FrameSource,
  RelayLimits,
  ResumeCheckpoint,
} from './connection-types.js';
export { SUBSCRIBED_KINDS } from './relay-subscription.js';

/** Holder ids: this process, then a serial per connection (see `Handover`). */
const PROCESS_ID = randomUUID();
let connectionSerial = 0;

/**
 * One relay: one socket and one subscription, reconnected with backoff, kept alive with pings,
 * resumed after a gap with a `since` that looks back behind it (see `RelaySeen`). Apart from it:
 * the subscription and its replay paging (`RelaySubscription`), reading frames (`FrameReader`),
 * health accounting (`RelayHealth`), keepalive (`Keepalive`), resume state (`ResumePoint`) and
 * the waits before retrying (`RetryDelays`).
 */
export class RelayConnection implements FrameSource {
  /** Who holds the relay while this connection has it (one id per connection, see `Handover`). */
  readonly holder = `${PROCESS_ID}:${++connectionSerial}`;
  private ws: WebSocket | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** When the current socket opened (ms; before `connectStartedAt` while it has not). */
  private openedAt = 0;
  private connectStartedAt = 0;
  /** Sockets opened so far (the first, then one per reconnect). */
  private opens = 0;
  private stopped = false;
  private wasStarted = false;
  private currentState: ConnectionState = 'closed';
  private verifyingCount = 0;
  private receivedCount = 0;
  private lastError: string | undefined;
  private lastErrorMessage: string | undefined;
  /** The outage cause of the socket's failure, when an error or a stall told it before the close. */
  private lastCause: OutageCause | undefined;
  private readonly publicOnly: boolean;
  private readonly openTimeoutMs: number;
  private readonly maxFrameBytes: number;
  private readonly retry: RetryDelays;
  private readonly keepalive: Keepalive;
  private readonly health: RelayHealth;
  private readonly point: ResumePoint;
  private readonly subscription: RelaySubscription;
  private readonly frames: FrameReader;

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
      fastRedialMs,
      resumeLookbackSeconds = 900,
      resumeMaxAgeSeconds = 82_800,
      seenCapacity = 12_288,
      publicOnly = false,
      answerTimeoutMs = 15_000,
    }: ConnectionOptions = {},
  ) {
    this.publicOnly = publicOnly;
    this.openTimeoutMs = openTimeoutMs;
    this.maxFrameBytes = maxFrameBytes;
    this.retry = new RetryDelays({ initialMs: backoffInitialMs, maxMs: backoffMaxMs, fastMs: fastRedialMs });
    this.point = new ResumePoint({
      capacity: seenCapacity,
      lookbackSeconds: resumeLookbackSeconds,
      maxAgeSeconds: resumeMaxAgeSeconds,
    });
    this.health = new RelayHealth(relayId, url, host, {
      answerTimeoutMs,
      onState: (state) => this.setState(state),
    });
    this.subscription = new RelaySubscription(url, this.point, host);
    this.frames = new FrameReader(maxFrameBytes, this.health, this.subscription);
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

  /** The subscriptions open on the socket, that its copies are checked against. */
  get subscriptions(): OpenSubscriptions {
    return this.subscription.open;
  }

  /** True once `start()` ran (before it, a handed-over checkpoint may still be imported). */
  get started(): boolean {
    return this.wasStarted;
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** True while the relay serves: the socket is open and the subscription answered (EOSE or events). */
  get connected(): boolean {
    return this.health.serving && this.ws?.readyState === WebSocket.OPEN;
  }

  /** Sockets this connection has opened: 1 after the first connect, one more per reconnect. */
  get socketsOpened(): number {
    return this.opens;
  }

  /** EVENT frames received since start. */
  get received(): number {
    return this.receivedCount;
  }

  /** Copies from this relay whose signature check is still running. */
  get verifying(): number {
    return this.verifyingCount;
  }

  verifyStarted(): void {
    this.verifyingCount += 1;
  }

  verifySettled(): void {
    this.verifyingCount -= 1;
  }

  /** NIP-11 `max_message_length` in force (`null`: not stated); see `applyLimits`. */
  get maxMessageLength(): number | null {
    return this.subscription.limits.maxMessageLength;
  }

  /** NIP-11 `max_subscriptions` in force: below 2, a resumed replay cannot be paged. */
  get maxSubscriptions(): number | null {
    return this.subscription.limits.maxSubscriptions;
  }

  /** The limits from the relay's NIP-11 document (any replica's; refreshed periodically and on reconnect). */
  applyLimits(limits: RelayLimits): void {
    this.subscription.applyLimits(limits);
  }

  private setState(next: ConnectionState): void {
    if (next === this.currentState) return;
    this.accountHealth();
    this.currentState = next;
    this.health.up(next === 'open');
  }

  /** The relay as held by this replica: the status it last reported and since when (if any yet). */
  held(): HeldRelay {
    return this.health.held();
  }

  /** Adds elapsed observed (and serving or restricted) time to the hour's health counters. */
  accountHealth(now = Date.now()): void {
    this.health.account(now, this.stopped);
  }

  /** Opens the socket (first call) — later reconnects schedule themselves. */
  start(): void {
    this.wasStarted = true;
    this.stopped = false;
    this.health.restart();
    this.connect();
  }

  private connect(): void {
    if (this.stopped) return;
    this.setState('connecting');
    this.connectStartedAt = Date.now();
    this.health.connecting(this.connectStartedAt);
    let ws: WebSocket;
    try {
      ws = openSocket(this.url, this.openTimeoutMs, this.maxFrameBytes, this.publicOnly);
    } catch (err) {
      this.onFailure(
        classifySocketError(err as Error),
        (err as Error).message,
        causeOfSocketError(err as Error),
      );
      return;
    }
    this.ws = ws;
    ws.on('open', () => this.onOpen(ws));
    ws.on('message', (data, isBinary) => {
      if (ws !== this.ws) return;
      this.point.heard(Date.now());
      this.keepalive.heard();
      const read = this.frames.read(data, isBinary, this.stopped);
      if (read === undefined) return;
      if (Buffer.isBuffer(read)) this.deliverEvent(ws, read);
      else if (read.type === 'EOSE') this.onEose(ws, read.subscriptionId);
      else this.onClosed(read.subscriptionId, read.message);
    });
    ws.on('pong', () => this.keepalive.heard());
    ws.on('error', (err) => {
      if (ws !== this.ws) return;
      this.lastError = classifySocketError(err);
      this.lastErrorMessage = err.message;
      this.lastCause = causeOfSocketError(err);
    });
    ws.on('close', (code, reason) => {
      if (ws !== this.ws) return;
      this.onClose(code, reason.toString());
    });
  }

  private onOpen(ws: WebSocket): void {
    if (ws !== this.ws) return;
    const now = Date.now();
    // Not "heard": the resumed REQ looks back behind the last time the relay sent something,
    // before the gap, so a gap longer than the look-back loses nothing the relay holds.
    this.openedAt = now;
    this.opens += 1;
    this.health.opened(now, now - this.connectStartedAt);
    if (this.host.paused()) ws.pause();
    this.subscribe();
    this.keepalive.start();
  }

  private subscribe(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    this.subscription.send(ws);
    this.accountHealth();
    // Online only once the relay answers (see `RelayHealth`); until then it is waited for.
    this.setState(this.health.serving ? 'open' : 'waiting');
    this.health.requested();
  }

  /**
   * Hands an EVENT frame on, whichever way it was recognised. A stopping connection still hands
   * on what was on the wire (counted before its checkpoint is handed over).
   */
  private deliverEvent(ws: WebSocket, frame: Buffer): void {
    this.receivedCount += 1;
    // Only a copy under a subscription this connection has open is an answer: a relay pushing
    // what nobody asked for does not serve.
    if (this.host.onEventFrame(this, frame, this.point.lastHeardAt)) this.health.answered();
    // A closing socket may be out of the collector's reach (a relay given up): it follows the
    // back-pressure itself.
    if (this.stopped && this.host.paused()) ws.pause();
  }

  private onEose(ws: WebSocket, subId: string): void {
    this.health.answered();
    const eoseMs = this.subscription.eose(ws, subId);
    if (eoseMs === undefined) return;
    this.health.eose(eoseMs);
    this.retry.answered();
  }

  /** The relay CLOSED the subscription: asked for again after a wait. */
  private onClosed(subId: string, reason: string): void {
    if (!this.subscription.closed(subId, reason)) return;
    // Not offline: a relay refusing for want of authentication or payment is up (its own status).
    this.setState(this.health.closed(reason) ?? 'backoff');
    const delay = this.retry.afterClosed();
    this.clearTimer();
    this.timer = setTimeout(() => this.subscribe(), delay);
    this.timer.unref();
  }

  /** Nothing (not even a pong) for a whole keepalive interval: the socket is dead or stalled. */
  private onStall(ws: WebSocket): void {
    this.lastError = 'stalled';
    this.lastErrorMessage = 'no data or pong within the keepalive interval';
    this.lastCause = { cause: 'stalled', detail: null };
    ws.terminate();
    this.onClose(1006, 'keepalive timeout');
  }

  private onClose(code: number, reason: string): void {
    const wasOpen = this.point.subscribedOnce && this.connectStartedAt <= this.openedAt;
    this.keepalive.stop();
    this.clearTimer();
    this.accountHealth();
    this.subscription.reset();
    this.ws?.removeAllListeners();
    this.ws = undefined;
    if (this.stopped) return;
    const errorClass =
      this.lastError ?? (code === 1009 ? 'message-too-big' : wasOpen ? 'closed' : 'connect-failed');
    const message = this.lastErrorMessage ?? (reason || `close code ${code}`);
    this.onFailure(errorClass, message, this.lastCause ?? causeOfClose(code));
  }

  private onFailure(errorClass: string, message: string, cause: OutageCause): void {
    this.health.failed(Date.now(), errorClass, message, cause);
    this.lastError = undefined;
    this.lastErrorMessage = undefined;
    this.lastCause = undefined;
    this.setState('backoff');
    const delay = this.retry.afterSocketFailure();
    this.host.metrics.reconnects.inc({ relay: this.url });
    this.timer = setTimeout(() => this.connect(), delay);
    this.timer.unref();
  }

  /** Resolves once no copy from this relay is still being verified (or after `timeoutMs`). */
  async settled(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.verifyingCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }

  /** Where this relay's stream stands, for the replica that watches it next (see `ResumePoint`). */
  checkpoint(): ResumeCheckpoint | undefined {
    return this.point.checkpoint();
  }

  /** Where the stream stands, for the durable resume point committed with each flush. */
  resumeMark(): ResumeMark | undefined {
    return this.point.mark();
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
    this.setState('closed');
    this.health.released();
    if (!ws) return Promise.resolve();
    return closeGracefully(ws, this.subscription.id, graceMs, !this.host.paused()).then(() => {
      if (this.ws === ws) this.ws = undefined;
    });
  }
}
