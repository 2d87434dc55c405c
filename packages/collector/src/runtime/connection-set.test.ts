import { describe, expect, it } from 'vitest';
import type { HeldRelay } from '../aggregate/counter-buffer.js';
import { DurableLedger, type ResumeMark } from '../aggregate/durable-ledger.js';
import type { ConnectionState } from '../observe/metrics.js';
import { ConnectionSet, type WatchedConnection } from './connection-set.js';

class FakeConnection implements WatchedConnection {
  paused = false;
  healthAccounted = 0;
  readonly seen: { bytes: number };

  constructor(
    readonly url: string,
    readonly state: ConnectionState,
    readonly started = true,
    readonly connected = state === 'open',
    seenBytes = 100,
  ) {
    this.seen = { bytes: seenBytes };
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  accountHealth(): void {
    this.healthAccounted += 1;
  }

  held(): HeldRelay {
    return { relayId: Number(this.url.replace(/\D/g, '')), status: 'online', statusChangedAt: undefined };
  }

  /** Subscribed relays have a mark (heard at 1000 + their number). */
  resumeMark(): ResumeMark | undefined {
    return this.state === 'open'
      ? { heardSec: 1000 + Number(this.url.replace(/\D/g, '')), floorSec: 900 }
      : undefined;
  }
}

function setOf(...conns: FakeConnection[]): ConnectionSet<FakeConnection> {
  const set = new ConnectionSet<FakeConnection>();
  conns.forEach((conn, i) => {
    set.byRelayId.set(i + 1, conn);
  });
  return set;
}

describe('ConnectionSet', () => {
  it('pauses and resumes every socket', () => {
    const a = new FakeConnection('wss://a', 'open');
    const b = new FakeConnection('wss://b', 'backoff');
    const set = setOf(a, b);
    set.pauseAll();
    expect([a.paused, b.paused]).toEqual([true, true]);
    set.resumeAll();
    expect([a.paused, b.paused]).toEqual([false, false]);
  });

  it('marks the resume point of every started relay that was subscribed, by relay id', () => {
    const set = setOf(
      new FakeConnection('wss://live1', 'open'),
      new FakeConnection('wss://down2', 'backoff'),
      new FakeConnection('wss://waiting3', 'open', false),
    );
    const ledger = new DurableLedger();
    set.markResume(ledger);
    expect([...ledger.resume]).toEqual([[1, { heardSec: 1001, floorSec: 900 }]]);
  });

  it('reports as held only the relays it has started watching', () => {
    const set = setOf(
      new FakeConnection('wss://live1', 'open'),
      new FakeConnection('wss://down2', 'backoff'),
      new FakeConnection('wss://waiting3', 'closed', false),
    );
    expect(set.held().map((held) => held.relayId)).toEqual([1, 2]);
  });

  it('counts connections by state, naming states nobody is in', () => {
    const set = setOf(
      new FakeConnection('wss://a', 'open'),
      new FakeConnection('wss://b', 'open'),
      new FakeConnection('wss://c', 'backoff'),
    );
    expect(set.connectedCount()).toBe(2);
    expect(Object.fromEntries(set.stateCounts())).toEqual({
      connecting: 0,
      waiting: 0,
      open: 2,
      unresponsive: 0,
      auth_required: 0,
      payment_required: 0,
      backoff: 1,
      closed: 0,
    });
  });

  it('sums the seen sets and lists the urls and size', () => {
    const set = setOf(
      new FakeConnection('wss://a', 'open', true, true, 300),
      new FakeConnection('wss://b', 'closed', true, false, 200),
    );
    expect(set.seenBytes()).toBe(500);
    expect(set.urls()).toEqual(['wss://a', 'wss://b']);
    expect(set.size).toBe(2);
  });

  it('lets every connection account its health time', () => {
    const a = new FakeConnection('wss://a', 'open');
    setOf(a).accountHealth();
    expect(a.healthAccounted).toBe(1);
  });
});
