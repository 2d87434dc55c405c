import type { NostrEvent } from '@nostr-info/shared/nostr';
import type { WebSocket } from 'ws';
import type { CopyState, Filter } from './types.js';

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

/** The state of a socket that has just connected. */
export function openConn(ws: WebSocket, challenge: string): Conn {
  return {
    ws,
    subs: new Map(),
    authed: false,
    challenge,
    timers: new Set(),
    flooding: false,
    poisoned: false,
    held: null,
    heldPing: '',
  };
}

/** Runs `fn` once after `ms` unless the socket closes first (its timers are cleared on close). */
export function connTimeout(conn: Conn, ms: number, fn: () => void): void {
  const t = setTimeout(() => {
    conn.timers.delete(t);
    fn();
  }, ms);
  conn.timers.add(t);
}
