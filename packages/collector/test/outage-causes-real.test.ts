import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { causeOfClose, causeOfSocketError, type OutageCause } from '../src/relay/outage-cause.js';

// The cause classes against the errors real sockets raise (not hand-made ones): a refused connect,
// a name that does not resolve, an upgrade answered with 503, TLS spoken to a plain HTTP port, and
// a server that closes the open socket with a code.

/** The cause of the first failure of a socket to `url`. */
function causeOfDial(url: string): Promise<OutageCause> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { handshakeTimeout: 5000 });
    ws.once('error', (err) => resolve(causeOfSocketError(err)));
    ws.once('close', (code) => resolve(causeOfClose(code)));
  });
}

describe('outage causes of real socket failures', () => {
  let http: Server;
  let port: number;

  beforeAll(async () => {
    http = createServer((_req, res) => {
      res.writeHead(503).end('maintenance');
    });
    const wss = new WebSocketServer({ noServer: true });
    http.on('upgrade', (req, socket, head) => {
      if (req.url === '/close')
        wss.handleUpgrade(req, socket, head, (ws) => ws.close(1013, 'try again later'));
      else socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    port = (http.address() as AddressInfo).port;
  });
  afterAll(async () => {
    http.closeAllConnections();
    await new Promise((r) => http.close(r));
  });

  it('classes each failure as the collector records it', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));

    expect(await causeOfDial(`ws://127.0.0.1:${closedPort}`)).toEqual({
      cause: 'tcp',
      detail: 'ECONNREFUSED',
    });
    expect((await causeOfDial('ws://relay.nostr-info-test.invalid')).cause).toBe('dns');
    expect(await causeOfDial(`ws://127.0.0.1:${port}/`)).toEqual({ cause: 'http_status', detail: '503' });
    expect((await causeOfDial(`wss://127.0.0.1:${port}/`)).cause).toBe('tls');
    expect(await causeOfDial(`ws://127.0.0.1:${port}/close`)).toEqual({ cause: 'ws_close', detail: '1013' });
  });
});
