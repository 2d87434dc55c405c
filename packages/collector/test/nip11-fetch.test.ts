import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRelayInfo } from '../src/relay/nip11.js';

// The NIP-11 fetch is bounded as a whole: a relay that answers a byte at a time (never idle long
// enough for an idle timeout) cannot hold a fetch, one of a few per tick, for ever.

describe('NIP-11 fetch', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/nostr+json' });
      if (req.url === '/') {
        res.end(JSON.stringify({ name: 'quick' }));
        return;
      }
      const trickle = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(trickle));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('reads a document and gives up on one that trickles past the timeout', async () => {
    expect((await fetchRelayInfo(`ws://127.0.0.1:${port}`)).name).toBe('quick');
    const started = Date.now();
    await expect(fetchRelayInfo(`ws://127.0.0.1:${port}/slow`, { timeoutMs: 800 })).rejects.toThrow(
      /timed out/,
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
