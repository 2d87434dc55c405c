import WebSocket from 'ws';

/**
 * Pings the open socket every interval and declares it stalled when nothing at all (no frame,
 * no pong) arrived for a whole interval. Paused reading counts as heard: pongs cannot arrive then.
 */
export class Keepalive {
  private timer: NodeJS.Timeout | undefined;
  private heardSincePing = true;

  constructor(
    private readonly intervalMs: number,
    private readonly socket: () => WebSocket | undefined,
    private readonly paused: () => boolean,
    private readonly onStall: (ws: WebSocket) => void,
  ) {}

  /** Something (a frame or a pong) arrived. */
  heard(): void {
    this.heardSincePing = true;
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const ws = this.socket();
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    // While reading is paused for back-pressure, pongs cannot arrive either.
    if (this.paused()) {
      this.heardSincePing = true;
      return;
    }
    if (!this.heardSincePing) {
      // Nothing (not even a pong) for a whole interval: the socket is dead or the relay stalled.
      this.onStall(ws);
      return;
    }
    this.heardSincePing = false;
    ws.ping();
  }
}
