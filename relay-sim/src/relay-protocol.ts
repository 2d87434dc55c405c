import type { NostrEvent } from '@nostr-info/shared/nostr';
import type { RawData } from 'ws';
import { cork, uncork } from './cork.js';
import { asFilter } from './filter.js';
import type { RelayBehaviour } from './relay-behaviour.js';
import { type Conn, connTimeout, type StoredCopy, type Sub } from './relay-conn.js';
import { replaySelection } from './relay-replay.js';
import { verifyNostrEvent } from './signer.js';
import type { Filter, RelayMode } from './types.js';

/** What the client-message handlers need of their relay. */
export interface ProtocolHost {
  readonly mode: RelayMode;
  readonly behaviour: RelayBehaviour;
  /** Stored copies, oldest first. */
  storedCopies(): readonly StoredCopy[];
  /** Stores a verified event a client published; false when the relay had it already. */
  storePublished(ev: NostrEvent): boolean;
  sendEvent(conn: Conn, sub: Sub, copy: StoredCopy): boolean;
  sendRaw(conn: Conn, frame: unknown[]): void;
  sendClosed(conn: Conn, subId: string, reason: string): void;
  /** A subscription has had its EOSE: start what the relay's mode does to live subscriptions. */
  subscriptionLive(conn: Conn, sub: Sub): void;
}

/** How a `payment-required` relay refuses (as paid relays do: `restricted:` naming payment). */
const PAYMENT_REFUSAL = 'restricted: this relay serves paid members only, pay the admission invoice';

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
export function handleClientMessage(relay: ProtocolHost, conn: Conn, data: RawData, isBinary: boolean): void {
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

function onReq(relay: ProtocolHost, conn: Conn, msg: unknown[]): void {
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
  if (relay.mode === 'payment-required') {
    relay.sendClosed(conn, subId, PAYMENT_REFUSAL);
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
    connTimeout(conn, relay.behaviour.slowEoseMs, () => {
      if (conn.subs.get(subId) === sub) replay(relay, conn, sub);
    });
    return;
  }
  replay(relay, conn, sub);
}

/** Sends matching stored events (newest first, each filter's limit applied), EOSE, then held-back copies. */
function replay(relay: ProtocolHost, conn: Conn, sub: Sub): void {
  const ordered = replaySelection(relay.storedCopies(), sub.filters, relay.behaviour.historyLimit);
  const replayed = new Set(ordered.map((copy) => copy.index));
  cork(conn.ws);
  for (const copy of ordered) relay.sendEvent(conn, sub, copy);
  relay.sendRaw(conn, ['EOSE', sub.id]);
  sub.live = true;
  const pending = sub.pending ?? [];
  sub.pending = null;
  for (const copy of pending) if (!replayed.has(copy.index)) relay.sendEvent(conn, sub, copy);
  uncork(conn.ws);
  relay.subscriptionLive(conn, sub);
}

function onEvent(relay: ProtocolHost, conn: Conn, raw: unknown): void {
  if (!isEvent(raw)) {
    relay.sendRaw(conn, ['NOTICE', 'invalid: malformed event']);
    return;
  }
  if (relay.mode === 'auth-required' && !conn.authed) {
    relay.sendRaw(conn, ['OK', raw.id, false, 'auth-required: authenticate to publish']);
    return;
  }
  if (relay.mode === 'payment-required') {
    relay.sendRaw(conn, ['OK', raw.id, false, PAYMENT_REFUSAL]);
    return;
  }
  const valid = verifyNostrEvent(raw);
  if (!valid) {
    relay.sendRaw(conn, ['OK', raw.id, false, 'invalid: bad id or signature']);
    return;
  }
  const fresh = relay.storePublished(raw);
  relay.sendRaw(conn, ['OK', raw.id, true, fresh ? '' : 'duplicate: already have this event']);
}

function onAuth(relay: ProtocolHost, conn: Conn, raw: unknown): void {
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
