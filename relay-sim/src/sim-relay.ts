import { createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { NostrEvent, OffFilterReason } from '@nostr-info/shared/nostr';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { CopyLedger } from './copy-ledger.js';
import { cork, uncork } from './cork.js';
import { matchAny } from './filter.js';
import { FilterModes } from './filter-modes.js';
import { FloodSource } from './flood-source.js';
import { garbageFrame } from './garbage.js';
import { HostileContent } from './hostile-content.js';
import { ModeInterval } from './mode-interval.js';
import { type Nip11Identity, serveNip11 } from './nip11.js';
import type { EventRegistry } from './registry.js';
import type { RelayBehaviour } from './relay-behaviour.js';
import { type Conn, connTimeout, openConn, type StoredCopy, type Sub } from './relay-conn.js';
import { type FloodHost, pumpFlood } from './relay-flood.js';
import type { RelayCounters, RelayLedger } from './relay-ledger.js';
import { RelayListener } from './relay-listener.js';
import { noticeText } from './relay-notices.js';
import { holdBehindOversized, oversizedEvent, poisonWithOversized, releaseHeld } from './relay-oversized.js';
import { handleClientMessage, type ProtocolHost } from './relay-protocol.js';
import { newReqTally, noteClientFrame, noteRelayFrame } from './req-answers.js';
import type { CopyState, RelayMode } from './types.js';

/** One simulated relay: an HTTP server (NIP-11) with a WebSocket endpoint on the same port. */
export class SimRelay implements RelayLedger, ProtocolHost, FloodHost {
  private listeningUrl = '';
  private currentMode: RelayMode;
  private streamPaused = false;
  private history: StoredCopy[] = [];
  private readonly copies = new CopyLedger();
  private readonly tally: RelayCounters = {
    eventFrames: 0,
    garbageFrames: 0,
    oversizedFrames: 0,
    closedSent: 0,
    noticesSent: 0,
    floodJunk: 0,
    authChallenges: 0,
    droppedSlowConsumer: 0,
    ...newReqTally(),
  };
  private readonly conns = new Set<Conn>();
  private readonly flood: FloodSource;
  /** `relay-list-spam` and `fresh-key-flood` content (signed with the network's signer: `useSigner`). */
  readonly hostile: HostileContent;
  /** `off-filter`, `rebroadcast` and `future` content. */
  private readonly filterModes: FilterModes;
  private readonly notices: ModeInterval;
  private readonly oversized: ModeInterval;
  private readonly wss: WebSocketServer;
  private readonly stalledSockets = new Set<Duplex>();
  private oversizedJson: string | undefined;
  /** The listening port, which `takeDown` / `bringUp` close and reopen (with their truth). */
  readonly listener: RelayListener;
  /** The software and NIPs its NIP-11 document names (unset: the simulator's defaults). */
  nip11Identity: Nip11Identity | undefined;
  private garbageCounter = 0;

  constructor(
    readonly index: number,
    private readonly registry: EventRegistry,
    readonly behaviour: RelayBehaviour,
    mode: RelayMode,
    private readonly seed: string,
  ) {
    this.currentMode = mode;
    this.flood = new FloodSource(registry, index, this.copies);
    this.hostile = new HostileContent(this, seed);
    this.filterModes = new FilterModes(this, seed);
    this.notices = new ModeInterval('notice', behaviour.noticeIntervalMs, () => this.sendNotices());
    this.oversized = new ModeInterval('oversized', behaviour.oversizedIntervalMs, () => this.sendOversized());
    const server = createServer((req, res) => serveNip11(req, res, this));
    this.listener = new RelayListener(server);
    // autoPong off: a stalled relay must not answer pings, the others pong by hand.
    this.wss = new WebSocketServer({
      noServer: true,
      autoPong: false,
      maxPayload: behaviour.maxMessageLength,
    });
    server.on('upgrade', (req, socket, head) => {
      // `stall-open`: the TCP connection is accepted, the WebSocket handshake never answered.
      if (this.mode === 'stall-open') {
        this.stalledSockets.add(socket);
        socket.on('error', () => socket.destroy());
        socket.once('close', () => this.stalledSockets.delete(socket));
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
    });
  }

  /** Starts listening; resolves to the relay's ws:// URL. */
  async listen(host: string, port: number): Promise<string> {
    this.listeningUrl = `ws://${host}:${await this.listener.listen(host, port)}`;
    this.followMode();
    return this.listeningUrl;
  }

  get url(): string {
    return this.listeningUrl;
  }

  get mode(): RelayMode {
    return this.currentMode;
  }

  get paused(): boolean {
    return this.streamPaused;
  }

  get emitted(): ReadonlyMap<number, CopyState> {
    return this.copies.emitted;
  }

  get delivered(): ReadonlyMap<number, CopyState> {
    return this.copies.delivered;
  }

  /** Distinct ids sent outside a subscription (`off-filter` mode), by reason. */
  get offFilter(): Record<OffFilterReason, number> {
    return this.filterModes.offFilter;
  }

  get deliveredAt(): ReadonlyMap<number, number> {
    return this.copies.deliveredAt;
  }

  get counters(): Readonly<RelayCounters> {
    return this.tally;
  }

  private get silent(): boolean {
    return this.mode === 'stall';
  }

  /** Follows the network's pause: `flood` and `oversizedKeepsStreaming` traffic stop with the stream. */
  setPaused(paused: boolean): void {
    this.streamPaused = paused;
  }

  /** Open client sockets. */
  connections(): number {
    return this.conns.size;
  }

  /** Subscriptions that have had their EOSE (or are live without one). */
  liveSubscriptions(): number {
    let n = 0;
    for (const c of this.conns) for (const s of c.subs.values()) if (s.live) n++;
    return n;
  }

  /** Batches a stream tick's frames into one write per socket (see `cork`). */
  cork(): void {
    for (const c of this.conns) cork(c.ws);
  }

  uncork(): void {
    for (const c of this.conns) uncork(c.ws);
  }

  bufferedBytes(): number {
    let n = 0;
    for (const c of this.conns) n += c.ws.bufferedAmount;
    return n;
  }

  /** `oversized` with `oversizedKeepsStreaming`: events held behind an unanswered oversized frame. */
  heldEvents(): number {
    let n = 0;
    for (const c of this.conns) n += c.held?.length ?? 0;
    return n;
  }

  storedCopies(): readonly StoredCopy[] {
    return this.history;
  }

  /** Stores one copy and pushes it to matching live subscriptions; false if the relay had it already. */
  accept(index: number, state: CopyState, json: string): boolean {
    if (this.copies.emitted.has(index)) return false;
    // `fresh-key-flood` carries its own events only: nothing it sends is carried elsewhere.
    if (this.mode === 'fresh-key-flood' && index < this.registry.corpusSize) return false;
    const ev = this.registry.events[index];
    if (!ev) return false;
    this.copies.recordEmitted(index, state);
    const copy: StoredCopy = { index, state, json, ev };
    this.history.push(copy);
    if (this.history.length > this.behaviour.historySize * 1.25) {
      this.history = this.history.slice(this.history.length - this.behaviour.historySize);
    }
    if (this.conns.size === 0) return true;
    // A `rebroadcast` relay is strictly honest: it serves old events only to who asked that far back.
    const withTime = this.behaviour.liveRespectsSince || this.mode === 'rebroadcast';
    for (const conn of this.conns) {
      for (const sub of conn.subs.values()) {
        if (sub.pending) {
          if (matchAny(sub.filters, ev, withTime)) sub.pending.push(copy);
        } else if (sub.live && matchAny(sub.filters, ev, withTime)) this.sendEvent(conn, sub, copy);
      }
    }
    return true;
  }

  storePublished(ev: NostrEvent): boolean {
    const index = this.registry.add(ev, true);
    return this.accept(index, 'valid', this.registry.copyJson(index, 'valid'));
  }

  /** Writes one EVENT frame and records the delivery; false when nothing was written. */
  sendEvent(conn: Conn, sub: Sub, copy: StoredCopy): boolean {
    if (this.silent || conn.poisoned || conn.ws.readyState !== WebSocket.OPEN) return false;
    if (conn.held) {
      // Written (and counted as delivered) once the client has read past the oversized frame.
      if (conn.held.length < this.behaviour.historySize) conn.held.push({ sub, copy });
      else this.tally.droppedSlowConsumer++;
      return false;
    }
    if (conn.ws.bufferedAmount > this.behaviour.maxBufferedBytes) {
      this.tally.droppedSlowConsumer++;
      return false;
    }
    if (this.mode === 'garbage' && Math.random() < this.behaviour.garbageShare)
      this.sendGarbage(conn, sub.id);
    conn.ws.send(`${sub.head}${copy.json}]`);
    this.tally.eventFrames++;
    this.copies.recordDelivered(copy.index, copy.state);
    return true;
  }

  /** Writes one `flood` junk EVENT frame (not in the registry; counted by the flood pump). */
  sendJunk(conn: Conn, sub: Sub, json: string): boolean {
    if (this.silent || conn.poisoned || conn.held || conn.ws.readyState !== WebSocket.OPEN) return false;
    if (conn.ws.bufferedAmount > this.behaviour.maxBufferedBytes) return false;
    conn.ws.send(`${sub.head}${json}]`);
    this.tally.eventFrames++;
    return true;
  }

  countFloodJunk(): void {
    this.tally.floodJunk++;
  }

  /** Sends a control frame unless the relay is stalled. */
  sendRaw(conn: Conn, frame: unknown[]): void {
    if (this.silent || conn.ws.readyState !== WebSocket.OPEN) return;
    conn.ws.send(JSON.stringify(frame));
    noteRelayFrame(this.tally, frame);
  }

  sendClosed(conn: Conn, subId: string, reason: string): void {
    if (this.silent) return;
    this.sendRaw(conn, ['CLOSED', subId, reason]);
    this.tally.closedSent++;
  }

  subscriptionLive(conn: Conn, sub: Sub): void {
    this.hostile.subscriptionLive();
    this.filterModes.subscriptionLive(conn, sub);
    if (this.mode === 'closed') this.scheduleClose(conn, sub);
    if (this.mode === 'flood') this.startFlood(conn);
  }

  /** Changes behaviour at runtime; timers and existing sockets follow. */
  setMode(mode: RelayMode): void {
    this.currentMode = mode;
    this.followMode();
    for (const conn of this.conns) {
      if (mode === 'disconnect-loop') this.scheduleDisconnect(conn);
      if (mode === 'auth-required' && !conn.authed) {
        this.sendChallenge(conn);
        for (const sub of [...conn.subs.values()]) {
          conn.subs.delete(sub.id);
          this.sendClosed(conn, sub.id, 'auth-required: this relay now requires authentication');
        }
      }
      if (mode === 'closed') for (const sub of conn.subs.values()) this.scheduleClose(conn, sub);
      if (mode === 'flood') this.startFlood(conn);
    }
  }

  private followMode(): void {
    this.hostile.follow(this.mode);
    this.notices.follow(this.mode);
    this.oversized.follow(this.mode);
  }

  private sendGarbage(conn: Conn, subId: string): void {
    conn.ws.send(garbageFrame(this.garbageCounter++, subId));
    this.tally.garbageFrames++;
  }

  private sendChallenge(conn: Conn): void {
    this.sendRaw(conn, ['AUTH', conn.challenge]);
    this.tally.authChallenges++;
  }

  private scheduleClose(conn: Conn, sub: Sub): void {
    connTimeout(conn, this.behaviour.closedAfterMs, () => {
      if (this.mode !== 'closed' || conn.subs.get(sub.id) !== sub) return;
      conn.subs.delete(sub.id);
      this.sendClosed(conn, sub.id, this.behaviour.closedReason);
    });
  }

  private scheduleDisconnect(conn: Conn): void {
    connTimeout(conn, this.behaviour.disconnectAfterMs, () => {
      if (this.mode === 'disconnect-loop') conn.ws.close(1001, 'going away');
    });
  }

  /** `flood`: every corpus event, then junk, as fast as the socket drains. */
  private startFlood(conn: Conn): void {
    pumpFlood(this, this.flood, conn);
  }

  private sendNotices(): void {
    const text = noticeText(this.tally.noticesSent);
    for (const conn of this.conns) {
      if (conn.ws.readyState !== WebSocket.OPEN) continue;
      conn.ws.send(JSON.stringify(['NOTICE', text]));
      this.tally.noticesSent++;
    }
  }

  private sendOversized(): void {
    this.oversizedJson ??= JSON.stringify(
      oversizedEvent(this.seed, this.index, this.behaviour.oversizedBytes),
    );
    if (this.silent) return;
    const countFrame = (): number => ++this.tally.oversizedFrames;
    // Held frames follow the stream: none while paused, so a paused, drained network sends nothing more.
    if (!this.behaviour.oversizedKeepsStreaming)
      poisonWithOversized(this.conns, this.oversizedJson, countFrame);
    else if (!this.paused) holdBehindOversized(this.conns, this.oversizedJson, countFrame);
  }

  private onConnection(ws: WebSocket): void {
    const conn = openConn(ws, `sim-${this.index}-${Math.random().toString(36).slice(2)}`);
    this.conns.add(conn);
    ws.on('ping', (data) => {
      if (this.silent || ws.readyState !== WebSocket.OPEN) return;
      ws.pong(data);
      this.tally.pongsSent++;
    });
    ws.on('pong', (data) => releaseHeld(conn, data, (sub, copy) => this.sendEvent(conn, sub, copy)));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (this.silent) return;
      if (!noteClientFrame(this.tally, this.mode, data, isBinary)) return;
      handleClientMessage(this, conn, data, isBinary);
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      for (const t of conn.timers) clearTimeout(t);
      conn.timers.clear();
      conn.subs.clear();
      this.conns.delete(conn);
    });
    if (this.mode === 'auth-required') this.sendChallenge(conn);
    if (this.mode === 'disconnect-loop') this.scheduleDisconnect(conn);
    if (this.mode === 'garbage') this.sendGarbage(conn, 'sub');
  }

  /**
   * Takes the relay off the network like a crashed process: every socket is cut without a close
   * frame and the port stops listening, so connects are refused until `bringUp`.
   */
  async takeDown(): Promise<void> {
    if (!this.listener.up) return;
    this.dropSockets();
    await this.listener.takeDown();
  }

  /** Listens again on the same port after `takeDown`. */
  bringUp(): Promise<void> {
    return this.listener.bringUp();
  }

  private dropSockets(): void {
    for (const conn of this.conns) {
      for (const t of conn.timers) clearTimeout(t);
      conn.ws.terminate();
    }
    this.conns.clear();
    for (const socket of this.stalledSockets) socket.destroy();
    this.stalledSockets.clear();
  }

  /** Closes every socket and the server. */
  async close(): Promise<void> {
    this.hostile.stop();
    this.notices.stop();
    this.oversized.stop();
    this.dropSockets();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await this.listener.close();
  }
}
