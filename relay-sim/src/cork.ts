import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** The TCP socket under a ws WebSocket (ws keeps it in a private field). */
function socketOf(ws: WebSocket): Socket | undefined {
  return (ws as unknown as { _socket?: Socket })._socket;
}

/**
 * Holds a socket's writes until `uncork`, so a batch of small frames leaves in one write: at load
 * rates, one syscall per frame is most of the simulator's CPU.
 */
export function cork(ws: WebSocket): void {
  socketOf(ws)?.cork();
}

/** Releases what `cork` held. */
export function uncork(ws: WebSocket): void {
  socketOf(ws)?.uncork();
}
