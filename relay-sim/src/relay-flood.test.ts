import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CopyLedger } from './copy-ledger.js';
import { makeEvent } from './fixtures.js';
import { FloodSource } from './flood-source.js';
import { EventRegistry } from './registry.js';
import { type Conn, openConn, type StoredCopy, type Sub } from './relay-conn.js';
import { type FloodHost, pumpFlood } from './relay-flood.js';
import type { Filter, RelayMode } from './types.js';

class FakeHost implements FloodHost {
  mode: RelayMode = 'flood';
  paused = false;
  readonly events: { sub: string; index: number }[] = [];
  readonly junk: string[] = [];
  junkCounted = 0;
  sendEvent(_conn: Conn, sub: Sub, copy: StoredCopy): boolean {
    this.events.push({ sub: sub.id, index: copy.index });
    return true;
  }
  sendJunk(_conn: Conn, sub: Sub, _json: string): boolean {
    this.junk.push(sub.id);
    return true;
  }
  countFloodJunk(): void {
    this.junkCounted++;
  }
}

const corpus = [1, 7, 1].map((kind, i) => makeEvent({ kind, content: `${i}`, created_at: 1 }));

function setUp(subs: [string, Filter[], boolean][]) {
  const host = new FakeHost();
  const source = new FloodSource(EventRegistry.fromCorpus(corpus), 0, new CopyLedger());
  const conn = openConn({ readyState: WebSocket.OPEN, bufferedAmount: 0 } as unknown as WebSocket, 'c');
  for (const [id, filters, live] of subs) conn.subs.set(id, { id, filters, head: '', live, pending: null });
  return { host, source, conn };
}

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('pumpFlood', () => {
  it('sends each live subscription the corpus events it matches, then junk if it takes kind 1', async () => {
    const { host, source, conn } = setUp([
      ['notes', [{ kinds: [1] }], true],
      ['reactions', [{ kinds: [7] }], true],
      ['not-yet-live', [{}], false],
    ]);
    pumpFlood(host, source, conn);
    pumpFlood(host, source, conn);
    await nextTurn();
    host.mode = 'normal';
    await nextTurn();
    expect(host.events).toEqual([
      { sub: 'notes', index: 0 },
      { sub: 'reactions', index: 1 },
      { sub: 'notes', index: 2 },
    ]);
    // One batch of 256 (the second pump call was a no-op): 3 corpus events, then junk.
    expect(host.junk.length).toBe(253);
    expect(new Set(host.junk)).toEqual(new Set(['notes']));
    expect(host.junkCounted).toBe(253);
    expect(conn.flooding).toBe(false);
  });

  it('counts a junk event no subscription takes as not sent', async () => {
    const { host, source, conn } = setUp([['reactions', [{ kinds: [7] }], true]]);
    pumpFlood(host, source, conn);
    await nextTurn();
    host.mode = 'normal';
    await nextTurn();
    expect(host.events).toEqual([{ sub: 'reactions', index: 1 }]);
    expect(host.junkCounted).toBe(0);
  });

  it('sends nothing while the stream is paused', async () => {
    const { host, source, conn } = setUp([['all', [{}], true]]);
    host.paused = true;
    pumpFlood(host, source, conn);
    await nextTurn();
    host.mode = 'normal';
    expect(host.events).toEqual([]);
    expect(host.junk).toEqual([]);
  });
});
