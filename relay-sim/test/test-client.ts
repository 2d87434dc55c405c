import { type NostrEvent, COLLECTED_KINDS as SHARED_COLLECTED_KINDS } from '@nostr-info/shared/nostr';
import WebSocket from 'ws';

/** A minimal NIP-01 client that records every frame, for checking the simulator from outside. */
export class TestClient {
  readonly frames: unknown[][] = [];
  readonly raw: string[] = [];
  readonly events: { sub: string; ev: NostrEvent }[] = [];
  readonly eose = new Map<string, number>();
  closed = false;
  closeCode: number | undefined;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      this.raw.push(text);
      let msg: unknown;
      try {
        msg = JSON.parse(text);
      } catch {
        return;
      }
      if (!Array.isArray(msg)) return;
      this.frames.push(msg);
      if (msg[0] === 'EVENT' && typeof msg[1] === 'string' && msg[2] && typeof msg[2] === 'object') {
        this.events.push({ sub: msg[1], ev: msg[2] as NostrEvent });
      }
      if (msg[0] === 'EOSE' && typeof msg[1] === 'string') this.eose.set(msg[1], Date.now());
    });
    ws.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
    });
    ws.on('error', () => {});
  }

  static async connect(url: string, opts: WebSocket.ClientOptions = {}): Promise<TestClient> {
    const ws = new WebSocket(url, opts);
    // Listen before 'open': a relay's first frame (AUTH challenge) can arrive with the handshake.
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  send(msg: unknown[]): void {
    this.ws.send(JSON.stringify(msg));
  }

  req(sub: string, ...filters: Record<string, unknown>[]): void {
    this.send(['REQ', sub, ...filters]);
  }

  async waitFor(pred: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  framesOf(type: string): unknown[][] {
    return this.frames.filter((f) => f[0] === type);
  }

  close(): void {
    this.ws.terminate();
  }
}

/** The kinds a collector subscribes to (the one list, from `@nostr-info/shared/nostr`). */
export const COLLECTED_KINDS: number[] = [...SHARED_COLLECTED_KINDS];
