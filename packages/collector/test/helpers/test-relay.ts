import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

interface StoredEvent {
  created_at: number;
  kind: number;
}

/**
 * A small NIP-01 relay on loopback for tests: keeps what is published, answers REQ with stored
 * events matching `since`/`kinds`, then EOSE, then streams new events. `sendRaw` pushes any frame
 * (invalid events, garbage) to current subscribers.
 */
export class TestRelay {
  readonly events: StoredEvent[] = [];
  private readonly subs = new Map<WebSocket, { id: string; since: number; kinds: number[] | undefined }>();
  private constructor(private readonly wss: WebSocketServer) {
    wss.on('connection', (ws) => {
      ws.on('message', (data) => this.onMessage(ws, data.toString()));
      ws.on('close', () => this.subs.delete(ws));
    });
  }

  static async start(): Promise<TestRelay> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    return new TestRelay(wss);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }

  /** Open subscriptions (one per subscribed socket). */
  get subscribers(): number {
    return this.subs.size;
  }

  private onMessage(ws: WebSocket, raw: string): void {
    let msg: unknown[];
    try {
      msg = JSON.parse(raw) as unknown[];
    } catch {
      return;
    }
    if (msg[0] === 'REQ') {
      const id = String(msg[1]);
      const filter = (msg[2] ?? {}) as { since?: number; kinds?: number[] };
      const sub = { id, since: filter.since ?? 0, kinds: filter.kinds };
      this.subs.set(ws, sub);
      for (const e of this.events) if (this.matches(sub, e)) ws.send(JSON.stringify(['EVENT', id, e]));
      ws.send(JSON.stringify(['EOSE', id]));
    } else if (msg[0] === 'CLOSE') {
      this.subs.delete(ws);
    }
  }

  private matches(sub: { since: number; kinds: number[] | undefined }, e: StoredEvent): boolean {
    return e.created_at >= sub.since && (!sub.kinds || sub.kinds.includes(e.kind));
  }

  /** Stores an event and sends it to matching subscribers. */
  publish(event: StoredEvent): void {
    this.events.push(event);
    for (const [ws, sub] of this.subs) {
      if (ws.readyState === WebSocket.OPEN && this.matches(sub, event))
        ws.send(JSON.stringify(['EVENT', sub.id, event]));
    }
  }

  /** Sends a frame to every subscriber; `{sub}` is replaced by its subscription id. */
  sendRaw(frame: string): void {
    for (const [ws, sub] of this.subs)
      if (ws.readyState === WebSocket.OPEN) ws.send(frame.replaceAll('{sub}', sub.id));
  }

  /** Drops every client connection (the relay stays up). */
  dropClients(): void {
    for (const ws of this.wss.clients) ws.terminate();
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
