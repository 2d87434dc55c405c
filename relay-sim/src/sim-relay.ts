import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { cork, uncork } from './cork.js';
import { matchAny } from './filter.js';
import { garbageFrame } from './garbage.js';
import { serveNip11 } from './nip11.js';
import type { EventRegistry } from './registry.js';
import type { RelayBehaviour } from './relay-behaviour.js';
import { pumpFlood } from './relay-flood.js';
import { type Conn, handleClientMessage, type StoredCopy, type Sub } from './relay-protocol.js';
import { deriveSecretKey } from './rng.js';
import { pureSigner } from './signer.js';
import type { RelayLedger } from './truth.js';
import type { CopyState, NostrEvent, RelayMode } from './types.js';

/** What `notice` mode says, in turn: every standard NIP-01 prefix, then free text. */
const NOTICES = [
  'rate-limited: slow down, you are sending too fast',
  'error: internal error while processing your request',
  'restricted: this relay only serves paying members',
  'blocked: your IP address is blocked',
  'invalid: filter too broad',
  'auth-required: please authenticate',
  'relay will restart in 5 minutes',
];

/** One simulated relay: an HTTP server (NIP-11) with a WebSocket endpoint on the same port. */
export class SimRelay implements RelayLedger {
  url = '';
  readonly emitted = new Map<number, CopyState>();
  readonly delivered = new Map<number, CopyState>();
  readonly counters = {
    eventFrames: 0,
    garbageFrames: 0,
    oversizedFrames: 0,
    closedSent: 0,
    noticesSent: 0,
    floodJunk: 0,
    authChallenges: 0,
    droppedSlowConsumer: 0,
  };
  readonly conns = new Set<Conn>();
  history: StoredCopy[] = [];
  paused = false;
  /** `flood`: next corpus index to offer, and junk events made so far. */
  floodCursor = 0;
  floodJunkMade = 0;
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private oversizedTimer: NodeJS.Timeout | undefined;
  private noticeTimer: NodeJS.Timeout | undefined;
  private readonly stalledSockets = new Set<Duplex>();
  private oversizedJson: string | undefined;
  private garbageCounter = 0;

  constructor(
    readonly index: number,
    readonly registry: EventRegistry,
    readonly behaviour: RelayBehaviour,
    public mode: RelayMode,
    private readonly seed: string,
  ) {
    this.server = createServer((req, res) => serveNip11(req, res, this));
    // autoPong off: a stalled relay must not answer pings, the others pong by hand.
    this.wss = new WebSocketServer({
      noServer: true,
      autoPong: false,
      maxPayload: behaviour.maxMessageLength,
    });
    this.server.on('upgrade', (req, socket, head) => {
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
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    this.url = `ws://${host}:${addr.port}`;
    this.applyModeTimers();
    return this.url;
  }

  get silent(): boolean {
    return this.mode === 'stall';
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

  /** Stores one copy and pushes it to matching live subscriptions; false if the relay had it already. */
  accept(index: number, state: CopyState, json: string): boolean {
    if (this.emitted.has(index)) return false;
    const ev = this.registry.events[index];
    if (!ev) return false;
    this.emitted.set(index, state);
    const copy: StoredCopy = { index, state, json, ev };
    this.history.push(copy);
    if (this.history.length > this.behaviour.historySize * 1.25) {
      this.history = this.history.slice(this.history.length - this.behaviour.historySize);
    }
    if (this.conns.size === 0) return true;
    const withTime = this.behaviour.liveRespectsSince;
    for (const conn of this.conns) {
      for (const sub of conn.subs.values()) {
        if (sub.pending) {
          if (matchAny(sub.filters, ev, withTime)) sub.pending.push(copy);
        } else if (sub.live && matchAny(sub.filters, ev, withTime)) this.sendEvent(conn, sub, copy);
      }
    }
    return true;
  }

  /** Writes one EVENT frame and records the delivery; false when nothing was written. */
  sendEvent(conn: Conn, sub: Sub, copy: StoredCopy): boolean {
    if (this.silent || conn.poisoned || conn.ws.readyState !== WebSocket.OPEN) return false;
    if (conn.held) {
      // Written (and counted as delivered) once the client has read past the oversized frame.
      if (conn.held.length < this.behaviour.historySize) conn.held.push({ sub, copy });
      else this.counters.droppedSlowConsumer++;
      return false;
    }
    if (conn.ws.bufferedAmount > this.behaviour.maxBufferedBytes) {
      this.counters.droppedSlowConsumer++;
      return false;
    }
    if (this.mode === 'garbage' && Math.random() < this.behaviour.garbageShare)
      this.sendGarbage(conn, sub.id);
    conn.ws.send(`${sub.head}${copy.json}]`);
    this.counters.eventFrames++;
    if (!this.delivered.has(copy.index)) this.delivered.set(copy.index, copy.state);
    return true;
  }

  /** Writes one `flood` junk EVENT frame (not in the registry; counted by the flood pump). */
  sendJunk(conn: Conn, sub: Sub, json: string): boolean {
    if (this.silent || conn.poisoned || conn.held || conn.ws.readyState !== WebSocket.OPEN) return false;
    if (conn.ws.bufferedAmount > this.behaviour.maxBufferedBytes) return false;
    conn.ws.send(`${sub.head}${json}]`);
    this.counters.eventFrames++;
    return true;
  }

  sendGarbage(conn: Conn, subId: string): void {
    conn.ws.send(garbageFrame(this.garbageCounter++, subId));
    this.counters.garbageFrames++;
  }

  /** Sends a control frame unless the relay is stalled. */
  sendRaw(conn: Conn, frame: unknown[]): void {
    if (this.silent || conn.ws.readyState !== WebSocket.OPEN) return;
    conn.ws.send(JSON.stringify(frame));
  }

  /** Changes behaviour at runtime; timers and existing sockets follow. */
  setMode(mode: RelayMode): void {
    this.mode = mode;
    this.applyModeTimers();
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
      if (mode === 'flood') this.pumpFlood(conn);
    }
  }

  sendClosed(conn: Conn, subId: string, reason: string): void {
    if (this.silent) return;
    this.sendRaw(conn, ['CLOSED', subId, reason]);
    this.counters.closedSent++;
  }

  sendChallenge(conn: Conn): void {
    this.sendRaw(conn, ['AUTH', conn.challenge]);
    this.counters.authChallenges++;
  }

  scheduleClose(conn: Conn, sub: Sub): void {
    const t = setTimeout(() => {
      conn.timers.delete(t);
      if (this.mode !== 'closed' || conn.subs.get(sub.id) !== sub) return;
      conn.subs.delete(sub.id);
      this.sendClosed(conn, sub.id, this.behaviour.closedReason);
    }, this.behaviour.closedAfterMs);
    conn.timers.add(t);
  }

  private scheduleDisconnect(conn: Conn): void {
    const t = setTimeout(() => {
      conn.timers.delete(t);
      if (this.mode === 'disconnect-loop') conn.ws.close(1001, 'going away');
    }, this.behaviour.disconnectAfterMs);
    conn.timers.add(t);
  }

  /** `flood`: every corpus event, round and round, as fast as each socket drains. */
  pumpFlood(conn: Conn): void {
    pumpFlood(this, conn);
  }

  private applyModeTimers(): void {
    if (this.mode === 'notice' && !this.noticeTimer) {
      this.noticeTimer = setInterval(() => this.sendNotices(), this.behaviour.noticeIntervalMs);
    } else if (this.mode !== 'notice' && this.noticeTimer) {
      clearInterval(this.noticeTimer);
      this.noticeTimer = undefined;
    }
    if (this.mode === 'oversized' && !this.oversizedTimer) {
      this.oversizedTimer = setInterval(() => this.sendOversized(), this.behaviour.oversizedIntervalMs);
    } else if (this.mode !== 'oversized' && this.oversizedTimer) {
      clearInterval(this.oversizedTimer);
      this.oversizedTimer = undefined;
    }
  }

  private sendNotices(): void {
    const text = NOTICES[this.counters.noticesSent % NOTICES.length] ?? 'error: notice';
    for (const conn of this.conns) {
      if (conn.ws.readyState !== WebSocket.OPEN) continue;
      conn.ws.send(JSON.stringify(['NOTICE', text]));
      this.counters.noticesSent++;
    }
  }

  private sendOversized(): void {
    this.oversizedJson ??= JSON.stringify(this.oversizedEvent());
    if (this.behaviour.oversizedKeepsStreaming) {
      this.sendOversizedAndHold();
      return;
    }
    for (const conn of this.conns) {
      if (conn.poisoned || this.silent) continue;
      for (const sub of conn.subs.values()) {
        if (!sub.live || conn.ws.readyState !== WebSocket.OPEN) continue;
        conn.ws.send(`${sub.head}${this.oversizedJson}]`);
        conn.poisoned = true;
        this.counters.oversizedFrames++;
        break;
      }
    }
  }

  /**
   * `oversizedKeepsStreaming`: an oversized frame then a ping on every socket with a live
   * subscription (one whose previous frame was answered), events held until the pong. Follows the
   * stream: nothing while paused, so a paused and drained network sends nothing more.
   */
  private sendOversizedAndHold(): void {
    if (this.paused || this.silent) return;
    for (const conn of this.conns) {
      if (conn.held || conn.ws.readyState !== WebSocket.OPEN) continue;
      const sub = [...conn.subs.values()].find((s) => s.live);
      if (!sub) continue;
      conn.ws.send(`${sub.head}${this.oversizedJson}]`);
      this.counters.oversizedFrames++;
      conn.held = [];
      conn.heldPing = `oversized-${this.counters.oversizedFrames}`;
      conn.ws.ping(conn.heldPing);
    }
  }

  /** The client answered the ping behind an oversized frame: it read past it, send what waited. */
  private releaseHeld(conn: Conn, pong: Buffer): void {
    if (!conn.held || pong.toString() !== conn.heldPing) return;
    const held = conn.held;
    conn.held = null;
    cork(conn.ws);
    for (const { sub, copy } of held) if (conn.subs.get(sub.id) === sub) this.sendEvent(conn, sub, copy);
    uncork(conn.ws);
  }

  private oversizedEvent(): NostrEvent {
    return pureSigner.finalize(
      {
        kind: 1,
        created_at: Math.floor(Date.now() / 1000),
        tags: [],
        content: 'x'.repeat(this.behaviour.oversizedBytes),
      },
      deriveSecretKey(this.seed, 'oversized', this.index),
    );
  }

  private onConnection(ws: WebSocket): void {
    const conn: Conn = {
      ws,
      subs: new Map(),
      authed: false,
      challenge: `sim-${this.index}-${Math.random().toString(36).slice(2)}`,
      timers: new Set(),
      flooding: false,
      poisoned: false,
      held: null,
      heldPing: '',
    };
    this.conns.add(conn);
    ws.on('ping', (data) => {
      if (!this.silent && ws.readyState === WebSocket.OPEN) ws.pong(data);
    });
    ws.on('pong', (data) => this.releaseHeld(conn, data));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (this.silent) return;
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

  /** Closes every socket and the server. */
  async close(): Promise<void> {
    if (this.oversizedTimer) clearInterval(this.oversizedTimer);
    if (this.noticeTimer) clearInterval(this.noticeTimer);
    this.oversizedTimer = undefined;
    this.noticeTimer = undefined;
    for (const conn of this.conns) {
      for (const t of conn.timers) clearTimeout(t);
      conn.ws.terminate();
    }
    this.conns.clear();
    for (const socket of this.stalledSockets) socket.destroy();
    this.stalledSockets.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
