import { WebSocket } from 'ws';
import { cork, uncork } from './cork.js';
import { matchAny } from './filter.js';
import type { Conn, StoredCopy } from './relay-protocol.js';
import type { SimRelay } from './sim-relay.js';

/** Stop writing to a flooded socket above this many unsent bytes; resume when it drains. */
const FLOOD_HIGH_WATER = 1024 * 1024;
const BATCH = 256;

/**
 * The next flood event for a relay: first every corpus event it has not sent yet (in its own copy
 * state), then an endless run of junk kind-1 events whose ids are unique but not hashes (so every
 * one is a distinct invalid copy). No id is ever sent twice by a flooding relay, so its truth stays
 * exact for a collector whose per-relay dedup memory is bounded.
 */
function nextFlood(relay: SimRelay): StoredCopy | string {
  const corpus = relay.registry.corpusSize;
  while (relay.floodCursor < corpus) {
    const index = relay.floodCursor++;
    if (relay.delivered.has(index)) continue;
    const ev = relay.registry.events[index];
    if (!ev) continue;
    let state = relay.emitted.get(index);
    if (state === undefined) {
      state = 'valid';
      relay.emitted.set(index, state);
    }
    return { index, state, ev, json: relay.registry.copyJson(index, state) };
  }
  const n = relay.floodJunkMade++;
  const id = `f100d${relay.index.toString(16).padStart(8, '0')}${n.toString(16).padStart(51, '0')}`;
  const pubkey = relay.registry.events[0]?.pubkey ?? '0'.repeat(64);
  return `{"id":"${id}","pubkey":"${pubkey}","created_at":${Math.floor(Date.now() / 1000)},"kind":1,"tags":[],"content":"flood ${n}","sig":"${'0'.repeat(128)}"}`;
}

/** `flood`: unique events to every live subscription, as fast as the socket drains. */
export function pumpFlood(relay: SimRelay, conn: Conn): void {
  if (conn.flooding) return;
  conn.flooding = true;
  const step = (): void => {
    if (relay.mode !== 'flood' || conn.ws.readyState !== WebSocket.OPEN) {
      conn.flooding = false;
      return;
    }
    if (!relay.paused && conn.subs.size > 0) {
      cork(conn.ws);
      for (let i = 0; i < BATCH && conn.ws.bufferedAmount < FLOOD_HIGH_WATER; i++) {
        const next = nextFlood(relay);
        let sent = false;
        for (const sub of conn.subs.values()) {
          if (!sub.live) continue;
          if (typeof next === 'string') {
            if (sub.filters.some((f) => !f.kinds || f.kinds.includes(1)))
              sent = relay.sendJunk(conn, sub, next) || sent;
          } else if (matchAny(sub.filters, next.ev, false)) relay.sendEvent(conn, sub, next);
        }
        if (sent) relay.counters.floodJunk++;
      }
      uncork(conn.ws);
    }
    if (conn.ws.bufferedAmount >= FLOOD_HIGH_WATER || relay.paused || conn.subs.size === 0)
      setTimeout(step, relay.paused ? 50 : 2);
    else setImmediate(step);
  };
  setImmediate(step);
}
