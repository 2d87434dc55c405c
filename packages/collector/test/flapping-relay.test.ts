import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { RelayConnection } from '../src/relay/relay-connection.js';
import { testHost } from './helpers/connection-host.js';

// A relay that answers every subscription (EOSE) and then drops the socket must not be redialled
// at the first backoff step forever: each reconnect re-asks a look-back window. The backoff
// starts over only after the subscription stayed answered for a while.

describe('a relay that answers and then drops the socket', () => {
  let wss: WebSocketServer | undefined;
  let conn: RelayConnection | undefined;
  afterEach(async () => {
    await conn?.stop(100);
    await new Promise((r) => wss?.close(r));
  });

  it('is redialled with a growing delay', async () => {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss?.once('listening', () => resolve()));
    const dials: number[] = [];
    wss.on('connection', (ws) => {
      dials.push(Date.now());
      ws.on('message', (data) => {
        const msg = JSON.parse(data.toString()) as unknown[];
        if (msg[0] !== 'REQ') return;
        ws.send(JSON.stringify(['EOSE', msg[1]]));
        setTimeout(() => ws.terminate(), 20);
      });
    });
    const { host } = testHost();
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    conn = new RelayConnection(1, url, host, { backoffInitialMs: 100, backoffMaxMs: 60_000 });
    conn.start();
    await new Promise((r) => setTimeout(r, 3500));
    // With the delay doubling from 100 ms (jitter halves it at most): about 5 dials in 3.5 s.
    // Reset at every answer, it was one dial every 50-100 ms: dozens.
    expect(dials.length).toBeGreaterThanOrEqual(3);
    expect(dials.length).toBeLessThanOrEqual(8);
    const gaps = dials.slice(1).map((t, i) => t - (dials[i] as number));
    expect(gaps.at(-1)).toBeGreaterThan(gaps[0] as number);
  });
});
