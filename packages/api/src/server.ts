import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { ApiEnv } from '@nostr-info/shared/config';
import type { RoleContext, Service } from '@nostr-info/shared/lifecycle';
import { createApp } from './app.js';
import { errorBody } from './errors.js';
import { createFastLane } from './http/fast-lane.js';
import { type ApiPartsOptions, createApiParts } from './parts.js';

export interface StartApiOptions extends ApiPartsOptions {
  /** In-flight requests get this long to finish on stop before their sockets are closed. */
  shutdownGraceMs?: number;
  /** Waiting for the cache's pub/sub at start is bounded: the API serves without it. */
  subscribeTimeoutMs?: number;
}

/** A running API; `port` is the bound port (useful with `PORT=0`-style free ports in tests). */
export interface ApiService extends Service {
  readonly port: number;
}

/** Sends FIN once the pending bytes are flushed, then frees the socket without waiting for the peer. */
function endSocket(socket: Socket): void {
  if (socket.destroyed) return;
  socket.once('finish', () => socket.destroy());
  socket.end();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    Connection: 'close',
  });
  res.end(text);
}

/** Starts the HTTP API on `PORT`; `stop` stops accepting and finishes in-flight requests. */
export async function startApi(ctx: RoleContext<ApiEnv>, options: StartApiOptions = {}): Promise<ApiService> {
  const { shutdownGraceMs = 10_000, subscribeTimeoutMs = 3000 } = options;
  const log = ctx.logger.child({ module: 'api' });
  const parts = createApiParts(ctx, options);
  await Promise.race([
    parts
      .start()
      .catch((err: unknown) => log.warn({ err }, 'cache pub/sub unavailable; snapshots refresh by age')),
    new Promise<void>((resolve) => setTimeout(resolve, subscribeTimeoutMs).unref()),
  ]);
  const app = createApp(ctx, { parts });
  const fastLane = await createFastLane(parts, log);
  const listener = getRequestListener(app.fetch, {
    // Node's parser accepted the request but it is not a valid URL for the Fetch API.
    errorHandler: () =>
      new Response(JSON.stringify(errorBody('bad_request', 'malformed request')), {
        status: 400,
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
      }),
  });
  // Open requests per socket, so shutdown can end idle sockets gracefully and busy ones after
  // their response is flushed (Node's closeIdleConnections would cut a response still buffered).
  const sockets = new Map<Socket, number>();
  let stopping: Promise<void> | undefined;
  const server = createServer(
    { maxHeaderSize: 16 * 1024, requestTimeout: 30_000 },
    (req: IncomingMessage, res) => {
      const socket = req.socket;
      sockets.set(socket, (sockets.get(socket) ?? 0) + 1);
      res.once('close', () => {
        const open = (sockets.get(socket) ?? 1) - 1;
        sockets.set(socket, open);
        if (stopping && open === 0) endSocket(socket);
      });
      if (stopping) res.setHeader('Connection', 'close');
      // Checked before the URL is parsed at all: a huge target costs nothing further.
      if ((req.url?.length ?? 0) > parts.maxUrlLength) {
        req.resume();
        sendJson(
          res,
          414,
          errorBody('uri_too_long', `request target longer than ${parts.maxUrlLength} bytes`),
        );
        return;
      }
      if (!stopping && fastLane(req, res)) return;
      void listener(req, res);
    },
  );
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, 0);
    socket.once('close', () => sockets.delete(socket));
  });
  // Node's own version (also run by server.close) destroys sockets whose last response is
  // written but not yet flushed, so a slow reader loses the tail: end idle sockets gracefully.
  server.closeIdleConnections = () => {
    for (const [socket, open] of sockets) if (open === 0) endSocket(socket);
  };
  server.keepAliveTimeout = 65_000;
  // Malformed HTTP never reaches the app: answer it in JSON as well, then drop the socket.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'HPE_URI_TOO_LONG' ? 414 : 400;
    const body = JSON.stringify(
      errorBody(status === 414 ? 'uri_too_long' : 'bad_request', 'malformed request'),
    );
    socket.end(
      `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 414 ? 'URI Too Long' : 'Bad Request'}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(ctx.env.PORT, ctx.env.HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ port, host: ctx.env.HOST }, 'api listening');

  return {
    name: 'api',
    port,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Streams end with a retry hint; idle keep-alive sockets close now, busy ones after
        // their response (see the request handler); past the grace period, everything goes.
        await parts.stop();
        server.closeIdleConnections();
        const grace = setTimeout(() => {
          for (const socket of sockets.keys()) socket.destroy();
        }, shutdownGraceMs);
        await closed;
        clearTimeout(grace);
        log.info('api stopped');
      })();
      return stopping;
    },
  };
}
