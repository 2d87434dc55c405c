import type { Cache } from '@nostr-info/shared/cache';
import type { Logger } from '@nostr-info/shared/log';
import { ApiError } from '../errors.js';
import type { ApiMetrics } from '../metrics/api-metrics.js';
import { createStreamSlots } from './stream-slots.js';

interface Client {
  ip: string;
  /** The client's slot in the shared per-client cap. */
  slot: string;
  controller: ReadableStreamDefaultController<Uint8Array>;
  closed: boolean;
}

export interface StreamHubOptions {
  metrics: ApiMetrics;
  /** Holds the per-client cap shared by every API replica (see `createStreamSlots`). */
  cache: Cache;
  logger: Logger;
  /** Open streams per client IP over all replicas. */
  maxPerClient: number;
  /** A replica's slot lapses this long after its last renewal (e.g. when the replica died). */
  slotTtlMs?: number;
  /** Reconnect delay suggested to clients (`retry:`), in milliseconds. */
  retryMs?: number;
  heartbeatMs?: number;
  /** A client this many bytes behind is dropped rather than buffered without bound. */
  maxQueuedBytes?: number;
}

/** Open Server-Sent Events streams: per-client caps, broadcast, heartbeats, graceful end. */
export interface StreamHub {
  /** Opens a stream for `ip`; rejects with `ApiError` 429 past the per-client cap. */
  open(
    ip: string,
    signal: AbortSignal,
    first?: { event: string; data: unknown },
  ): Promise<ReadableStream<Uint8Array>>;
  broadcast(event: string, data: unknown): void;
  readonly size: number;
  /** Ends every stream with a `retry:` hint, refuses new ones and gives the slots back. */
  close(): Promise<void>;
}

const encoder = new TextEncoder();

/** One SSE frame; data is JSON on one line, so no `data:` splitting is needed. */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Creates the hub; heartbeats are one timer for all clients. */
export function createStreamHub({
  metrics,
  cache,
  logger,
  maxPerClient,
  slotTtlMs = 30_000,
  retryMs = 3000,
  heartbeatMs = 15_000,
  maxQueuedBytes = 1 << 20,
}: StreamHubOptions): StreamHub {
  const clients = new Set<Client>();
  const slots = createStreamSlots({ cache, logger, maxPerClient, ttlMs: slotTtlMs });
  let closing = false;

  const drop = (client: Client) => {
    if (!clients.delete(client)) return;
    client.closed = true;
    slots.release(client.ip, client.slot);
    metrics.sseClients.set(clients.size);
  };
  const unavailable = () =>
    new ApiError(503, 'unavailable', 'the server is shutting down; reconnect shortly');
  const send = (client: Client, text: string) => {
    if (client.closed) return;
    try {
      client.controller.enqueue(encoder.encode(text));
      if ((client.controller.desiredSize ?? 0) < -maxQueuedBytes) {
        client.controller.close();
        drop(client);
      }
    } catch {
      drop(client);
    }
  };
  const heartbeat = setInterval(() => {
    for (const client of clients) send(client, ': heartbeat\n\n');
  }, heartbeatMs);
  heartbeat.unref();

  return {
    async open(ip, signal, first) {
      if (closing) throw unavailable();
      const slot = await slots.acquire(ip);
      if (!slot) {
        throw new ApiError(429, 'too_many_streams', `at most ${maxPerClient} open streams per client`, {
          headers: { 'Retry-After': String(Math.ceil(retryMs / 1000)) },
        });
      }
      // The client left, or shutdown began, while the slot was being taken.
      if (closing || signal.aborted) {
        slots.release(ip, slot);
        throw unavailable();
      }
      let client: Client | undefined;
      const stream = new ReadableStream<Uint8Array>(
        {
          start(controller) {
            const c: Client = { ip, slot, controller, closed: false };
            client = c;
            clients.add(c);
            metrics.sseClients.set(clients.size);
            send(c, `retry: ${retryMs}\n: connected\n\n`);
            if (first) send(c, sseFrame(first.event, first.data));
          },
          cancel() {
            if (client) drop(client);
          },
        },
        { highWaterMark: maxQueuedBytes, size: (chunk) => chunk.byteLength },
      );
      signal.addEventListener(
        'abort',
        () => {
          if (!client || client.closed) return;
          try {
            client.controller.close();
          } catch {
            // already closed by the consumer
          }
          drop(client);
        },
        { once: true },
      );
      return stream;
    },
    broadcast(event, data) {
      if (clients.size === 0) return;
      const frame = sseFrame(event, data);
      for (const client of clients) send(client, frame);
    },
    get size() {
      return clients.size;
    },
    async close() {
      closing = true;
      clearInterval(heartbeat);
      for (const client of [...clients]) {
        send(client, `retry: ${retryMs}\nevent: shutdown\ndata: {}\n\n`);
        try {
          client.controller.close();
        } catch {
          // the consumer went away first
        }
        drop(client);
      }
      await slots.close();
    },
  };
}
