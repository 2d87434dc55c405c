import type { RawData, WebSocket } from 'ws';
import { cork, uncork } from './cork.js';
import { asFilter, matchFilter } from './filter.js';
import { verifyNostrEvent } from './signer.js';
import type { SimRelay } from './sim-relay.js';
import type { CopyState, Filter, NostrEvent } from './types.js';

/** One stored copy of an event on one relay. */
export interface StoredCopy {
  index: number;
  state: CopyState;
  /** Wire JSON of this copy (corrupted when `state` is not valid). */
  json: string;
  /** The registered body, used for filter matching. */
  ev: NostrEvent;
}

/** An open subscription on a socket. */
export interface Sub {
  id: string;
  filters: Filter[];
  /** `["EVENT","<id>",` prefix, built once. */
  head: string;
  /** True once stored events and EOSE went out. */
  live: boolean;
  /** `slow-eose`: live copies held back until EOSE. */
  pending: StoredCopy[] | null;
}

/** One client socket. */
export interface Conn {
  ws: WebSocket;
  subs: Map<string, Sub>;
  authed: boolean;
  challenge: string;
  timers: Set<NodeJS.Timeout>;
  flooding: boolean;
  /**
   * `oversized`: an oversized frame went out on this socket, so no further events do. A client
   * that refuses the frame drops the socket, and nothing written after it would have been read:
   * keeping quiet keeps the delivered truth exact either way.
   */
  poisoned: boolean;
  /**
   * `oversized` with `oversizedKeepsStreaming`: after an oversized frame, the events for this
   * socket wait here until the client answers the ping sent behind the frame (`heldPing`), so
   * nothing is written (and counted as delivered) behind a frame the client may refuse.
   */
  held: { sub: Sub; copy: StoredCopy }[] | null;
  heldPing: string;
}

function isEvent(v: unknown): v is NostrEvent {
  if (!v || typeof v !== 'object') return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e.id === 'string' &&
    typeof e.pubkey === 'string' &&
    typeof e.sig === 'string' &&
    typeof e.kind === 'number' &&
    typeof e.created_at === 'number' &&
    typeof e.content === 'string' &&
    Array.isArray(e.tags)
  );
}

/** Dispatches one client frame (NIP-01 REQ/CLOSE/EVENT, NIP-42 AUTH). */
export function handleClientMessage(relay: SimRelay, conn: Conn, data: RawData, isBinary: boolean): void {
  let msg: unknown;
  try {
    msg = JSON.parse(isBinary ? String(data) : data.toString());
  } catch {
    relay.sendRaw(conn, ['NOTICE', 'error: could not parse message']);
    return;
  }
  if (!Array.isArray(msg) || typeof msg[0] !== 'string') {
    relay.sendRaw(conn, ['NOTICE', 'error: message is not a JSON array']);
    return;
  }
  switch (msg[0]) {
    case 'REQ':
      onReq(relay, conn, msg);
      return;
    case 'CLOSE':
      if (typeof msg[1] === 'string') conn.subs.delete(msg[1]);
      return;
    case 'EVENT':
      onEvent(relay, conn, msg[1]);
      return;
    case 'AUTH':
      onAuth(relay, conn, msg[1]);
      return;
    default:
      relay.sendRaw(conn, ['NOTICE', `error: unknown message type ${String(msg[0]).slice(0, 20)}`]);
  }
}

function onReq(relay: SimRelay, conn: Conn, msg: unknown[]): void {
  const subId = msg[1];
  if (typeof subId !== 'string' || subId.length === 0 || subId.length > 64) {
    relay.sendRaw(conn, ['NOTICE', 'invalid: bad subscription id']);
    return;
  }
  const filters = msg.slice(2).map(asFilter);
  if (filters.length === 0 || filters.some((f) => f === undefined)) {
    relay.sendClosed(conn, subId, 'invalid: bad filter');
    return;
  }
  if (relay.mode === 'auth-required' && !conn.authed) {
    relay.sendClosed(conn, subId, 'auth-required: this relay only serves authenticated clients');
    return;
  }
  if (!conn.subs.has(subId) && conn.subs.size >= relay.behaviour.maxSubscriptions) {
    relay.sendClosed(conn, subId, `error: too many subscriptions (max ${relay.behaviour.maxSubscriptions})`);
    return;
  }
  const sub: Sub = {
    id: subId,
    filters: filters as Filter[],
    head: `["EVENT",${JSON.stringify(subId)},`,
    live: false,
    pending: null,
  };
  conn.subs.set(subId, sub);
  if (relay.mode === 'slow-eose') {
    sub.pending = [];
    const t = setTimeout(() => {
      conn.timers.delete(t);
      if (conn.subs.get(subId) === sub) replay(relay, conn, sub);
    }, relay.behaviour.slowEoseMs);
    conn.timers.add(t);
    return;
  }
  replay(relay, conn, sub);
}

/** Sends matching stored events (newest first, each filter's limit applied), EOSE, then held-back copies. */
function replay(relay: SimRelay, conn: Conn, sub: Sub): void {
  const chosen = new Map<number, StoredCopy>();
  const history = relay.history;
  for (const f of sub.filters) {
    const limit = Math.min(typeof f.limit === 'number' ? f.limit : Infinity, relay.behaviour.historyLimit);
    const matched: StoredCopy[] = [];
    for (const copy of history) if (matchFilter(f, copy.ev)) matched.push(copy);
    matched.sort((a, b) => b.ev.created_at - a.ev.created_at || b.index - a.index);
    for (const copy of matched.slice(0, limit)) chosen.set(copy.index, copy);
  }
  const ordered = [...chosen.values()].sort((a, b) => b.ev.created_at - a.ev.created_at || b.index - a.index);
  cork(conn.ws);
  for (const copy of ordered) relay.sendEvent(conn, sub, copy);
  relay.sendRaw(conn, ['EOSE', sub.id]);
  sub.live = true;
  const pending = sub.pending ?? [];
  sub.pending = null;
  for (const copy of pending) if (!chosen.has(copy.index)) relay.sendEvent(conn, sub, copy);
  uncork(conn.ws);
  if (relay.mode === 'closed') relay.scheduleClose(conn, sub);
  if (relay.mode === 'flood') relay.pumpFlood(conn);
}

function onEvent(relay: SimRelay, conn: Conn, raw: unknown): void {
  if (!isEvent(raw)) {
    relay.sendRaw(conn, ['NOTICE', 'invalid: malformed event']);
    return;
  }
  if (relay.mode === 'auth-required' && !conn.authed) {
    relay.sendRaw(conn, ['OK', raw.id, false, 'auth-required: authenticate to publish']);
    return;
  }
  const valid = verifyNostrEvent(raw);
  if (!valid) {
    relay.sendRaw(conn, ['OK', raw.id, false, 'invalid: bad id or signature']);
    return;
  }
  const index = relay.registry.add(raw, true);
  const fresh = relay.accept(index, 'valid', relay.registry.copyJson(index, 'valid'));
  relay.sendRaw(conn, ['OK', raw.id, true, fresh ? '' : 'duplicate: already have this event']);
}

function onAuth(relay: SimRelay, conn: Conn, raw: unknown): void {
  if (!isEvent(raw)) {
    relay.sendRaw(conn, ['NOTICE', 'invalid: malformed AUTH event']);
    return;
  }
  const challenge = raw.tags.find((t) => t[0] === 'challenge')?.[1];
  const fresh = Math.abs(raw.created_at - Date.now() / 1000) < 600;
  if (raw.kind !== 22242 || challenge !== conn.challenge || !fresh || !verifyNostrEvent(raw)) {
    relay.sendRaw(conn, ['OK', raw.id, false, 'invalid: bad AUTH event']);
    return;
  }
  conn.authed = true;
  relay.sendRaw(conn, ['OK', raw.id, true, '']);
}
