import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { RelayConnection } from '../src/relay/relay-connection.js';
import { testHost } from './helpers/connection-host.js';

// A relay that pushes copies nobody asked for, and never answers the subscription, does not serve:
// only an EOSE or a copy under an open subscription counts as its answer (the pipeline's verdict,
// passed back through the host). The same frames taken as in-filter make it serve.

const ANSWER_TIMEOUT_MS = 800;

async function pushingRelay(): Promise<{ url: string; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (ws) => {
    const timer = setInterval(() => ws.send(JSON.stringify(['EVENT', 'not-yours', { kind: 4 }])), 100);
    ws.on('close', () => clearInterval(timer));
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

describe('what counts as a relay answering', () => {
  let relay: Awaited<ReturnType<typeof pushingRelay>> | undefined;
  let conn: RelayConnection | undefined;
  afterEach(async () => {
    await conn?.stop();
    await relay?.close();
  });

  it.each([
    [false, 'unresponsive'],
    [true, 'open'],
  ] as const)('frames judged in filter = %s leave the connection %s', async (inFilter, state) => {
    relay = await pushingRelay();
    let frames = 0;
    const { host } = testHost({
      onEventFrame: () => {
        frames += 1;
        return inFilter;
      },
    });
    conn = new RelayConnection(1, relay.url, host, { answerTimeoutMs: ANSWER_TIMEOUT_MS });
    conn.start();
    await expect.poll(() => frames, { timeout: 5000 }).toBeGreaterThan(3);
    await expect.poll(() => conn?.connected, { timeout: ANSWER_TIMEOUT_MS * 4 }).toBe(inFilter);
    // Still that way after the answer timeout has passed again: serving, or unresponsive.
    await new Promise((r) => setTimeout(r, ANSWER_TIMEOUT_MS * 1.5));
    expect(conn.connected).toBe(inFilter);
    expect(conn.state).toBe(state);
  });
});
