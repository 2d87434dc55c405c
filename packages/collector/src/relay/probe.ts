import type WebSocket from 'ws';
import { MAX_FRAME_BYTES, openSocket } from './open-socket.js';
import { classifySocketError } from './socket-errors.js';

/**
 * Checks that a relay accepts a WebSocket connection before it joins the watched set. Resolves
 * `undefined` on success or the error class.
 */
export function probeRelay(url: string, timeoutMs = 10_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    let done = false;
    // Only discovered relays are probed: anyone can advertise them, so private addresses are refused.
    let ws: WebSocket;
    try {
      ws = openSocket(url, timeoutMs, MAX_FRAME_BYTES, true);
    } catch (err) {
      resolve(classifySocketError(err as Error));
      return;
    }
    const finish = (result: string | undefined) => {
      if (done) return;
      done = true;
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      resolve(result);
    };
    ws.on('open', () => finish(undefined));
    ws.on('error', (err) => finish(classifySocketError(err)));
    ws.on('close', () => finish('closed'));
  });
}
