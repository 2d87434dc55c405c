import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientIp } from './client-ip.js';

/** Asks a tiny app which client address it sees for a socket peer and headers. */
async function seen(
  hops: number,
  remoteAddress: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const app = new Hono();
  app.get('/', (c) => c.text(clientIp(c, hops)));
  const res = await app.request(
    '/',
    { headers },
    { incoming: { socket: { remoteAddress, remoteFamily: 'IPv4' } } },
  );
  return res.text();
}

describe('clientIp', () => {
  it('uses the socket peer and ignores X-Forwarded-For when no proxy is trusted', async () => {
    expect(await seen(0, '10.0.0.5', { 'X-Forwarded-For': '203.0.113.7' })).toBe('10.0.0.5');
  });

  it('takes the address N hops from the right with N trusted proxies', async () => {
    // client → proxy A (203.0.113.10) → proxy B (socket 10.0.0.2): XFF "spoofed, client, A"
    const xff = { 'X-Forwarded-For': '1.1.1.1, 198.51.100.4, 203.0.113.10' };
    expect(await seen(1, '10.0.0.2', xff)).toBe('203.0.113.10');
    expect(await seen(2, '10.0.0.2', xff)).toBe('198.51.100.4');
  });

  it('falls back to the leftmost entry when the chain is shorter, and to the socket for junk', async () => {
    expect(await seen(5, '10.0.0.2', { 'X-Forwarded-For': '198.51.100.4' })).toBe('198.51.100.4');
    expect(await seen(1, '10.0.0.2', { 'X-Forwarded-For': 'not-an-ip' })).toBe('10.0.0.2');
    expect(await seen(1, '10.0.0.2')).toBe('10.0.0.2');
  });

  it('is "unknown" without a socket (in-process requests)', async () => {
    const app = new Hono();
    app.get('/', (c) => c.text(clientIp(c, 0)));
    expect(await (await app.request('/')).text()).toBe('unknown');
  });
});
