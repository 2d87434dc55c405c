import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type Conn, openConn, type StoredCopy, type Sub } from './relay-conn.js';
import { holdBehindOversized, oversizedEvent, poisonWithOversized, releaseHeld } from './relay-oversized.js';
import { verifyNostrEvent } from './signer.js';

/** A socket that records what is written to it. */
function fakeConn(subs: Partial<Sub>[]): { conn: Conn; sent: string[]; pings: string[] } {
  const sent: string[] = [];
  const pings: string[] = [];
  const ws = {
    readyState: WebSocket.OPEN,
    send: (frame: string) => sent.push(frame),
    ping: (data: string) => pings.push(data),
  } as unknown as WebSocket;
  const conn = openConn(ws, 'challenge');
  for (const [i, s] of subs.entries()) {
    const id = `s${i}`;
    conn.subs.set(id, { id, filters: [{}], head: `["EVENT","${id}",`, live: true, pending: null, ...s });
  }
  return { conn, sent, pings };
}

function counter(): { count: () => number; total: () => number } {
  let n = 0;
  return { count: () => ++n, total: () => n };
}

describe('oversized frames', () => {
  it('make a valid event larger than the frame limit', () => {
    const ev = oversizedEvent('seed', 3, 2000);
    expect(ev.content.length).toBe(2000);
    expect(verifyNostrEvent(ev)).toBe(true);
    expect(oversizedEvent('seed', 3, 10).pubkey).toBe(ev.pubkey);
  });

  it('poison each socket with a live subscription once, on its first live subscription', () => {
    const a = fakeConn([{ live: false }, {}, {}]);
    const b = fakeConn([{ live: false }]);
    const frames = counter();
    poisonWithOversized([a.conn, b.conn], '{"big":1}', frames.count);
    poisonWithOversized([a.conn, b.conn], '{"big":1}', frames.count);
    expect(a.sent).toEqual(['["EVENT","s1",{"big":1}]']);
    expect(a.conn.poisoned).toBe(true);
    expect(b.sent).toEqual([]);
    expect(frames.total()).toBe(1);
  });

  it('hold events behind a frame until the ping sent after it is answered', () => {
    const { conn, sent, pings } = fakeConn([{}]);
    const frames = counter();
    frames.count();
    holdBehindOversized([conn], '{"big":1}', frames.count);
    holdBehindOversized([conn], '{"big":1}', frames.count);
    expect(sent).toEqual(['["EVENT","s0",{"big":1}]']);
    expect(pings).toEqual(['oversized-2']);

    const sub = conn.subs.get('s0');
    if (!sub) throw new Error('no sub');
    const copy = { index: 1 } as StoredCopy;
    conn.held?.push({ sub, copy });
    const released: StoredCopy[] = [];
    releaseHeld(conn, Buffer.from('oversized-1'), (_s, c) => released.push(c));
    expect(released).toEqual([]);
    releaseHeld(conn, Buffer.from('oversized-2'), (_s, c) => released.push(c));
    expect(released).toEqual([copy]);
    expect(conn.held).toBeNull();
  });

  it('drop held events of a subscription closed meanwhile', () => {
    const { conn } = fakeConn([{}]);
    holdBehindOversized([conn], '{}', counter().count);
    const sub = conn.subs.get('s0');
    if (!sub) throw new Error('no sub');
    conn.held?.push({ sub, copy: { index: 1 } as StoredCopy });
    conn.subs.delete('s0');
    const released: StoredCopy[] = [];
    releaseHeld(conn, Buffer.from(conn.heldPing), (_s, c) => released.push(c));
    expect(released).toEqual([]);
  });
});
