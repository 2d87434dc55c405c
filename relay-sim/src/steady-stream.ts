import type { NostrEvent } from '@nostr-info/shared/nostr';
import { generateSecretKey } from 'nostr-tools/pure';
import { WebSocket } from 'ws';
import { type Signer, wasmSigner } from './signer.js';

/** What a steady stream publishes, where, and how fast. */
export interface SteadyStreamOptions {
  /** Relay URLs (real relays that store what they accept). */
  urls: readonly string[];
  /** Events per second. */
  rate: number;
  /** Relays each event is published to (a random subset; at least 1). */
  copies: number;
  /** Kinds drawn in turn. */
  kinds?: readonly number[];
  /** Distinct authors. */
  authors?: number;
  /**
   * The copies after the first are published this much later (one relay after another), as
   * events spread between relays: a collector stopped meanwhile has counted an event from one
   * relay and still has to see it from the others.
   */
  spreadMs?: number;
}

/** What the relays accepted, by the relays' own `OK` answers. */
export interface StreamTruth {
  /** Network-unique events by kind. */
  byKind: Map<number, number>;
  /** Copies each relay accepted (stored), by URL. */
  perRelay: Map<string, number>;
  /** Distinct authors of accepted events. */
  authors: Set<string>;
  /** Every accepted event id. */
  ids: Set<string>;
}

/** One open socket to a relay that publishes and resolves each `OK`. */
class Publisher {
  private ws: WebSocket | undefined;
  private opening: Promise<WebSocket> | undefined;
  private readonly waiting = new Map<string, (accepted: boolean) => void>();

  constructor(readonly url: string) {}

  private socket(): Promise<WebSocket> {
    if (this.ws?.readyState === WebSocket.OPEN) return Promise.resolve(this.ws);
    this.opening ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(this.url);
      ws.once('open', () => {
        this.ws = ws;
        this.opening = undefined;
        resolve(ws);
      });
      ws.once('error', (err) => {
        this.opening = undefined;
        reject(err);
      });
      ws.on('close', () => {
        for (const done of this.waiting.values()) done(false);
        this.waiting.clear();
      });
      ws.on('message', (data) => {
        const msg = JSON.parse(data.toString()) as unknown[];
        if (msg[0] !== 'OK') return;
        const done = this.waiting.get(String(msg[1]));
        this.waiting.delete(String(msg[1]));
        done?.(msg[2] === true);
      });
    });
    return this.opening;
  }

  async publish(event: NostrEvent): Promise<boolean> {
    const ws = await this.socket();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(event.id);
        resolve(false);
      }, 5000);
      this.waiting.set(event.id, (accepted) => {
        clearTimeout(timer);
        resolve(accepted);
      });
      ws.send(JSON.stringify(['EVENT', event]));
    });
  }

  close(): void {
    this.ws?.close();
  }
}

/**
 * A steady stream of fresh, signed events published to real relays, with the ground truth of what
 * they accepted: the relays keep every event, so a collector that stops and resumes can find all
 * of it again, and its counts must equal this truth exactly.
 */
export class SteadyStream {
  private readonly publishers: Publisher[];
  private readonly keys: Uint8Array[];
  private readonly kinds: readonly number[];
  private signer: Signer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly pending = new Set<Promise<void>>();
  private serial = 0;
  private readonly accepted = new Map<string, { event: NostrEvent; relays: Set<string> }>();
  /** Events published (each to `copies` relays). */
  published = 0;

  constructor(private readonly options: SteadyStreamOptions) {
    this.publishers = options.urls.map((url) => new Publisher(url));
    this.keys = Array.from({ length: options.authors ?? 40 }, () => generateSecretKey());
    this.kinds = options.kinds ?? [1, 7];
  }

  /** Starts publishing `rate` events a second. */
  async start(): Promise<void> {
    this.signer ??= await wasmSigner();
    const intervalMs = 1000 / this.options.rate;
    this.timer = setInterval(() => this.publishOne(), intervalMs);
  }

  /** Stops publishing and waits for every answer. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  close(): void {
    for (const p of this.publishers) p.close();
  }

  private publishOne(): void {
    const n = this.serial++;
    const signer = this.signer as Signer;
    const key = this.keys[n % this.keys.length] as Uint8Array;
    const kind = this.kinds[n % this.kinds.length] as number;
    const event = signer.finalize(
      {
        kind,
        created_at: Math.floor(Date.now() / 1000),
        tags: kind === 7 ? [['e', 'f'.repeat(64)]] : [],
        content: kind === 7 ? '+' : `steady ${n}`,
      },
      key,
    );
    const copies = Math.max(1, Math.min(this.options.copies, this.publishers.length));
    const start = n % this.publishers.length;
    const targets = Array.from(
      { length: copies },
      (_, i) => this.publishers[(start + i * 7) % this.publishers.length] as Publisher,
    );
    const unique = [...new Set(targets)];
    this.published += 1;
    const spreadMs = this.options.spreadMs ?? 0;
    const work = Promise.all(
      unique.map(async (p, i) => {
        if (i > 0 && spreadMs > 0) await new Promise((r) => setTimeout(r, i * spreadMs));
        const ok = await p.publish(event).catch(() => false);
        if (!ok) return;
        const entry = this.accepted.get(event.id) ?? { event, relays: new Set<string>() };
        entry.relays.add(p.url);
        this.accepted.set(event.id, entry);
      }),
    ).then(() => undefined);
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /** What the relays accepted so far. */
  truth(): StreamTruth {
    const byKind = new Map<number, number>();
    const perRelay = new Map<string, number>(this.options.urls.map((u) => [u, 0]));
    const authors = new Set<string>();
    for (const { event, relays } of this.accepted.values()) {
      byKind.set(event.kind, (byKind.get(event.kind) ?? 0) + 1);
      authors.add(event.pubkey);
      for (const url of relays) perRelay.set(url, (perRelay.get(url) ?? 0) + 1);
    }
    return { byKind, perRelay, authors, ids: new Set(this.accepted.keys()) };
  }
}
