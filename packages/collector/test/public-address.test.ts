import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { fetchRelayInfo } from '../src/relay/nip11.js';
import { probeRelay } from '../src/relay/probe.js';
import { publicLookup } from '../src/relay/public-lookup.js';
import { RelayConnection } from '../src/relay/relay-connection.js';
import { testHost } from './helpers/connection-host.js';

// Relays from relay lists anyone can publish are dialled at public addresses only: the probe, the
// socket and the NIP-11 fetch refuse a private host (spelt as one, or resolving to one: the lookup
// they dial through refuses `localhost`, resolved by the system, here; this machine has no public
// name that resolves to loopback to show the whole path), while a configured relay at the same
// address is watched as before.

const lookup = (host: string) =>
  new Promise<{ err: (Error & { code?: string }) | null; address: string }>((resolve) =>
    publicLookup(host, {}, (err, address) => resolve({ err, address: String(address) })),
  );

describe('public-only dialling of discovered relays', () => {
  let http: Server;
  let wss: WebSocketServer;
  let port: number;
  let sockets = 0;
  beforeAll(async () => {
    // One server answers both: NIP-11 over HTTP (with a redirect) and WebSocket upgrades.
    http = createServer((req, res) => {
      if (req.url === '/') {
        res.writeHead(301, { Location: '/info' }).end();
        return;
      }
      res
        .writeHead(200, { 'Content-Type': 'application/nostr+json' })
        .end(JSON.stringify({ name: 'local relay' }));
    });
    wss = new WebSocketServer({ server: http });
    wss.on('connection', () => {
      sockets += 1;
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    port = (http.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const ws of wss.clients) ws.terminate();
    await new Promise((r) => wss.close(r));
    await new Promise((r) => http.close(r));
  });

  it('resolves public addresses and refuses names that resolve to private ones', async () => {
    expect(await lookup('93.184.216.34')).toEqual({ err: null, address: '93.184.216.34' });
    const refused = await lookup('localhost');
    expect(refused.err?.code).toBe('ENOTPUBLIC');
  });

  it('refuses them in the discovery probe, which admits the same relay by a public route', async () => {
    expect(await probeRelay(`ws://localhost:${port}`)).toBe('private-address');
    expect(await probeRelay(`ws://127.0.0.1:${port}`)).toBe('private-address');
    expect(sockets).toBe(0);
  });

  it('refuses them in the NIP-11 fetch, and fetches (following a redirect) for configured relays', async () => {
    await expect(fetchRelayInfo(`ws://localhost:${port}`, { publicOnly: true })).rejects.toThrow(
      /not a public address/,
    );
    const info = await fetchRelayInfo(`ws://localhost:${port}`);
    expect(info.name).toBe('local relay');
  });

  it('refuses them on the relay socket of a discovered relay, not of a configured one', async () => {
    const { host, aggregator } = testHost();
    const discovered = new RelayConnection(1, `ws://localhost:${port}`, host, { publicOnly: true });
    discovered.start();
    await new Promise((r) => setTimeout(r, 500));
    expect(sockets).toBe(0);
    expect(aggregator.buffer.relayStatus.get(1)?.lastErrorClass).toBe('private-address');
    await discovered.stop(100);

    const configured = new RelayConnection(2, `ws://localhost:${port}`, host);
    configured.start();
    await expect.poll(() => sockets, { timeout: 5000, message: 'configured relay connected' }).toBe(1);
    await configured.stop(100);
  });
});
