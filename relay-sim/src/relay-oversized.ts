import type { NostrEvent } from '@nostr-info/shared/nostr';
import { WebSocket } from 'ws';
import { cork, uncork } from './cork.js';
import type { Conn, StoredCopy, Sub } from './relay-conn.js';
import { deriveSecretKey } from './rng.js';
import { pureSigner } from './signer.js';

/** The valid kind-1 event an `oversized` relay sends, its content `bytes` long (in no truth count). */
export function oversizedEvent(seed: string, relayIndex: number, bytes: number): NostrEvent {
  return pureSigner.finalize(
    { kind: 1, created_at: Math.floor(Date.now() / 1000), tags: [], content: 'x'.repeat(bytes) },
    deriveSecretKey(seed, 'oversized', relayIndex),
  );
}

/**
 * `oversized`: the oversized frame `json` on every socket with a live subscription that has not had
 * one, after which the socket gets no events (`Conn.poisoned`). `countFrame` is called per frame.
 */
export function poisonWithOversized(conns: Iterable<Conn>, json: string, countFrame: () => number): void {
  for (const conn of conns) {
    if (conn.poisoned) continue;
    for (const sub of conn.subs.values()) {
      if (!sub.live || conn.ws.readyState !== WebSocket.OPEN) continue;
      conn.ws.send(`${sub.head}${json}]`);
      conn.poisoned = true;
      countFrame();
      break;
    }
  }
}

/**
 * `oversizedKeepsStreaming`: the oversized frame then a ping on every socket with a live
 * subscription (one whose previous frame was answered); its events are held until the pong (see
 * `releaseHeld`). `countFrame` is called per frame and returns the relay's total, which names the ping.
 */
export function holdBehindOversized(conns: Iterable<Conn>, json: string, countFrame: () => number): void {
  for (const conn of conns) {
    if (conn.held || conn.ws.readyState !== WebSocket.OPEN) continue;
    const sub = [...conn.subs.values()].find((s) => s.live);
    if (!sub) continue;
    conn.ws.send(`${sub.head}${json}]`);
    conn.held = [];
    conn.heldPing = `oversized-${countFrame()}`;
    conn.ws.ping(conn.heldPing);
  }
}

/** The client answered the ping behind an oversized frame: it read past it, so what waited goes out. */
export function releaseHeld(conn: Conn, pong: Buffer, send: (sub: Sub, copy: StoredCopy) => void): void {
  if (!conn.held || pong.toString() !== conn.heldPing) return;
  const held = conn.held;
  conn.held = null;
  cork(conn.ws);
  for (const { sub, copy } of held) if (conn.subs.get(sub.id) === sub) send(sub, copy);
  uncork(conn.ws);
}
