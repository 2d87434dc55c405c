import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPrivateHost } from '@nostr-info/shared/relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SafeFetch, SafeFetchError } from '../src/net/safe-fetch.js';
import type { ResolveAll } from '../src/relay/public-lookup.js';

// The one client for URLs that events name, against real servers on loopback. 127.0.0.2 stands
// for the internet (the tests declare it public); 127.0.0.1 is the cluster's own side.

/** A loopback HTTP server that counts its requests and answers with `handler`. */
async function serve(host: string, handler: (req: IncomingMessage, res: ServerResponse) => void) {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path = '/') => `http://${host}:${port}${path}`,
    get hits() {
      return hits;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
type TestServer = Awaited<ReturnType<typeof serve>>;

const PUBLIC = '127.0.0.2';
const isPrivate = (host: string) => host !== PUBLIC && isPrivateHost(host);
/** A resolver for a made-up internet: names to addresses, no DNS. */
const resolver =
  (names: Record<string, string>): ResolveAll =>
  (hostname, _options, callback) => {
    const address = names[hostname];
    if (!address)
      return callback(Object.assign(new Error(`${hostname}: not found`), { code: 'ENOTFOUND' }), []);
    callback(null, [{ address, family: 4 } satisfies LookupAddress]);
  };

const failure = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
    return 'no failure';
  } catch (err) {
    return err instanceof SafeFetchError ? err.code : String(err);
  }
};

describe('SafeFetch', () => {
  let inside: TestServer;
  let outside: TestServer;
  const json = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  beforeAll(async () => {
    inside = await serve('127.0.0.1', (_req, res) => json(res, { secret: 'cluster metadata' }));
    outside = await serve(PUBLIC, (req, res) => {
      const path = req.url ?? '/';
      if (path === '/ok') return json(res, { ok: true });
      if (path === '/to-inside') {
        res.writeHead(302, { location: inside.url('/') });
        return res.end();
      }
      if (path === '/to-private-name') {
        res.writeHead(301, { location: `http://metadata.test:${inside.port}/` });
        return res.end();
      }
      const hop = /^\/hop\/(\d+)$/.exec(path);
      if (hop) {
        res.writeHead(302, { location: Number(hop[1]) > 0 ? `/hop/${Number(hop[1]) - 1}` : '/ok' });
        return res.end();
      }
      if (path === '/big') return json(res, { pad: 'x'.repeat(20_000) });
      if (path === '/big-chunked') {
        res.writeHead(200, { 'content-type': 'application/json' });
        for (let i = 0; i < 40; i++) res.write('x'.repeat(1000));
        return res.end();
      }
      if (path === '/slow') {
        // Headers at once, then a byte now and then: never done within the deadline.
        res.writeHead(200, { 'content-type': 'application/json' });
        const timer = setInterval(() => res.write(' '), 100);
        res.on('close', () => clearInterval(timer));
        return;
      }
      res.writeHead(404);
      res.end();
    });
  });
  afterAll(async () => {
    await inside?.close();
    await outside?.close();
  });

  it('is https only unless plain http is allowed', async () => {
    const hits = outside.hits;
    expect(await failure(new SafeFetch({ isPrivate }).get(outside.url('/ok')))).toBe('insecure');
    expect(outside.hits).toBe(hits);
    const res = await new SafeFetch({ allowHttp: true, isPrivate }).get(outside.url('/ok'));
    expect([res.status, JSON.parse(res.body)]).toEqual([200, { ok: true }]);
  });

  it('refuses 127.0.0.1 unless private addresses are allowed (LNURL_ALLOW_INSECURE)', async () => {
    const hits = inside.hits;
    expect(await failure(new SafeFetch({ allowHttp: true }).get(inside.url('/')))).toBe('private_address');
    expect(await failure(new SafeFetch({ allowHttp: true }).get(`http://[::1]:${inside.port}/`))).toBe(
      'private_address',
    );
    expect(inside.hits).toBe(hits);
    const allowed = await new SafeFetch({ allowHttp: true, allowPrivate: true }).get(inside.url('/'));
    expect(allowed.status).toBe(200);
    expect(inside.hits).toBe(hits + 1);
  });

  it('refuses a public name that resolves to a private address, and dials the address it checked', async () => {
    const hits = inside.hits;
    const names = resolver({ 'wallet.test': '127.0.0.1', 'good.test': PUBLIC });
    const client = new SafeFetch({ allowHttp: true, isPrivate, resolveAll: names });
    expect(await failure(client.get(`http://wallet.test:${inside.port}/`))).toBe('private_address');
    expect(inside.hits).toBe(hits);
    const res = await client.get(`http://good.test:${outside.port}/ok`);
    expect(res.status).toBe(200);
  });

  it('checks every redirect like the first URL, and follows at most three', async () => {
    const hits = inside.hits;
    const client = new SafeFetch({
      allowHttp: true,
      isPrivate,
      resolveAll: resolver({ 'metadata.test': '127.0.0.1' }),
    });
    expect(await failure(client.get(outside.url('/to-inside')))).toBe('private_address');
    expect(await failure(client.get(outside.url('/to-private-name')))).toBe('private_address');
    expect(inside.hits).toBe(hits);
    const three = await client.get(outside.url('/hop/2'));
    expect([three.status, three.url]).toEqual([200, outside.url('/ok')]);
    expect(await failure(client.get(outside.url('/hop/3')))).toBe('redirects');
  });

  it('refuses a body over its cap, announced or streamed', async () => {
    const client = new SafeFetch({ allowHttp: true, isPrivate, maxBytes: 16 * 1024 });
    expect(await failure(client.get(outside.url('/big')))).toBe('too_large');
    expect(await failure(client.get(outside.url('/big-chunked')))).toBe('too_large');
  });

  it('gives up on a slow server at its deadline', async () => {
    const started = Date.now();
    const client = new SafeFetch({ allowHttp: true, isPrivate, timeoutMs: 500 });
    expect(await failure(client.get(outside.url('/slow')))).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('rate-limits per host: a burst, then a refill it may wait for within its deadline', async () => {
    const names = resolver({ 'a.test': PUBLIC, 'b.test': PUBLIC });
    const client = new SafeFetch({
      allowHttp: true,
      isPrivate,
      resolveAll: names,
      timeoutMs: 300,
      rateLimit: { perSecond: 1, burst: 2 },
    });
    const a = `http://a.test:${outside.port}/ok`;
    const results = await Promise.all([0, 1, 2].map(() => failure(client.get(a))));
    expect(results.sort()).toEqual(['no failure', 'no failure', 'rate_limited']);
    // Another host has its own bucket.
    expect(await failure(client.get(`http://b.test:${outside.port}/ok`))).toBe('no failure');
    // With a deadline past the refill, the next request waits for its token instead.
    const patient = new SafeFetch({
      allowHttp: true,
      isPrivate,
      resolveAll: names,
      timeoutMs: 3000,
      rateLimit: { perSecond: 2, burst: 1 },
    });
    const started = Date.now();
    await patient.get(a);
    await patient.get(a);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });
});
