import { WebSocket } from 'ws';
import { cork, uncork } from './cork.js';
import { matchAny } from './filter.js';
import type { FloodSource } from './flood-source.js';
import type { Conn, StoredCopy, Sub } from './relay-conn.js';
import type { RelayMode } from './types.js';

/** Stop writing to a flooded socket above this many unsent bytes; resume when it drains. */
const FLOOD_HIGH_WATER = 1024 * 1024;
const BATCH = 256;

/** What the flood pump needs of its relay. */
export interface FloodHost {
  readonly mode: RelayMode;
  readonly paused: boolean;
  /** Writes one corpus copy to a subscription (see `SimRelay.sendEvent`). */
  sendEvent(conn: Conn, sub: Sub, copy: StoredCopy): boolean;
  /** Writes one junk event's JSON to a subscription; false when nothing was written. */
  sendJunk(conn: Conn, sub: Sub, json: string): boolean;
  /** One junk event reached at least one subscription. */
  countFloodJunk(): void;
}

/** `flood`: unique events from `source` to every live subscription, as fast as the socket drains. */
export function pumpFlood(host: FloodHost, source: FloodSource, conn: Conn): void {
  if (conn.flooding) return;
  conn.flooding = true;
  const step = (): void => {
    if (host.mode !== 'flood' || conn.ws.readyState !== WebSocket.OPEN) {
      conn.flooding = false;
      return;
    }
    if (!host.paused && conn.subs.size > 0) {
      cork(conn.ws);
      for (let i = 0; i < BATCH && conn.ws.bufferedAmount < FLOOD_HIGH_WATER; i++) {
        const next = source.next();
        let sent = false;
        for (const sub of conn.subs.values()) {
          if (!sub.live) continue;
          if (typeof next === 'string') {
            if (sub.filters.some((f) => !f.kinds || f.kinds.includes(1)))
              sent = host.sendJunk(conn, sub, next) || sent;
          } else if (matchAny(sub.filters, next.ev, false)) host.sendEvent(conn, sub, next);
        }
        if (sent) host.countFloodJunk();
      }
      uncork(conn.ws);
    }
    if (conn.ws.bufferedAmount >= FLOOD_HIGH_WATER || host.paused || conn.subs.size === 0)
      setTimeout(step, host.paused ? 50 : 2);
    else setImmediate(step);
  };
  setImmediate(step);
}
