import { WebSocket } from 'ws';
import { matchAny } from './filter.js';
import type { Conn, StoredCopy } from './relay-protocol.js';
import type { SimRelay } from './sim-relay.js';

/** Stop writing to a flooded socket above this many unsent bytes; resume when it drains. */
const FLOOD_HIGH_WATER = 1024 * 1024;

/** `flood`: every corpus event, round and round, to every live subscription, as fast as the socket drains. */
export function pumpFlood(relay: SimRelay, conn: Conn): void {
  if (conn.flooding) return;
  conn.flooding = true;
  const corpus = relay.registry.corpusSize;
  const step = (): void => {
    if (relay.mode !== 'flood' || conn.ws.readyState !== WebSocket.OPEN || corpus === 0) {
      conn.flooding = false;
      return;
    }
    if (!relay.paused && conn.subs.size > 0) {
      for (let i = 0; i < 256 && conn.ws.bufferedAmount < FLOOD_HIGH_WATER; i++) {
        const index = conn.floodPos++ % corpus;
        const ev = relay.registry.events[index];
        if (!ev) continue;
        let state = relay.emitted.get(index);
        if (state === undefined) {
          state = 'valid';
          relay.emitted.set(index, state);
        }
        const copy: StoredCopy = { index, state, ev, json: relay.registry.copyJson(index, state) };
        for (const sub of conn.subs.values()) {
          if (sub.live && matchAny(sub.filters, ev, false)) relay.sendEvent(conn, sub, copy);
        }
      }
    }
    if (conn.ws.bufferedAmount >= FLOOD_HIGH_WATER || relay.paused || conn.subs.size === 0)
      setTimeout(step, relay.paused ? 50 : 2);
    else setImmediate(step);
  };
  setImmediate(step);
}
