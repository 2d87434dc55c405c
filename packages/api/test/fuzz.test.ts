import { connect } from 'node:net';
import { type MigratedTestDatabase, migratedTestDatabase, testServices } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildSnapshot } from './fixtures.js';
import { type ApiProcess, makeContext, seedSnapshot, spawnApi, uniquePrefix } from './helpers.js';

/** Deterministic PRNG (mulberry32) so a failing case can be replayed. */
function prng(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick };
}

const SEED = 20261124;
const COUNT = 3000;
const rnd = prng(SEED);

const ROUTES = [
  '/api/v1/stats/overview',
  '/api/v1/stats/relays',
  '/api/v1/stats/clients',
  '/api/v1/stats/top-relays',
  '/api/v1/stats/activity',
  '/api/v1/stats/events/',
  '/api/v1/stats/full/',
  '/api/v1/relays/',
  '/api/v1/stream',
  '/api/v1/docs',
  '/api/v1/openapi.json',
  '/health',
  '/ready',
  '/metrics',
  '/',
  '/api',
  '/api/v1/stats/',
];
const NASTY = [
  '24h',
  'all',
  '1y',
  '',
  '%',
  '%G1',
  '%00',
  '%zz%',
  '%2e%2e',
  '%2F..%2F',
  '%C0%AE',
  '%E0%A4%A',
  '%25252F',
  '..',
  '//',
  '\\\\',
  '%F0%9F%92%A9',
  'wss%3A%2F%2Frelay.damus.io',
  'wss://relay.damus.io',
  'ws%3A%2F%2F%5B%3A%3A1%5D%3A99999',
  'javascript:alert(1)',
  '<script>',
  '"\'',
  '%u0041',
  '+',
  ';',
  '@',
  '*',
  'ÿ',
  '\u00e9',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '-1',
  '9'.repeat(400),
];
const METHODS = [
  'GET',
  'GET',
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'TRACE',
  'FOO',
  'get',
  'M-SEARCH',
  'PROPFIND',
];
const ENCODINGS = [
  'br',
  'gzip',
  'gzip;q=abc',
  '*;q=0',
  'br;q=0, gzip;q=0',
  ',,,',
  'identity;q=0',
  'x'.repeat(300),
  '*',
];

function segment(): string {
  const n = rnd.int(4);
  let s = '';
  for (let i = 0; i <= n; i++) s += rnd.pick(NASTY);
  if (rnd.next() < 0.05) s += 'a'.repeat(rnd.int(3000));
  // Raw bytes the URL grammar does not allow: Node's parser or ours must refuse them cleanly.
  return s.replace(/ /g, '%20');
}

function target(): string {
  const route = rnd.pick(ROUTES);
  let path = route.endsWith('/') ? route + segment() : route;
  if (rnd.next() < 0.2) path += `/${segment()}`;
  if (rnd.next() < 0.6) {
    const params: string[] = [];
    const count = rnd.next() < 0.05 ? 500 : rnd.int(4);
    for (let i = 0; i < count; i++)
      params.push(`${rnd.pick(['range', 'range[]', 'x', segment()])}=${segment()}`);
    path += `?${params.join('&')}`;
  }
  return path;
}

function request(): string {
  const lines = [`${rnd.pick(METHODS)} ${target()} HTTP/1.1`, 'Host: fuzz'];
  if (rnd.next() < 0.3) lines.push(`Accept-Encoding: ${rnd.pick(ENCODINGS)}`);
  if (rnd.next() < 0.2)
    lines.push(`If-None-Match: ${rnd.pick(['*', '"abc"', 'W/"x"', '""', '"', segment()])}`);
  if (rnd.next() < 0.2)
    lines.push(`X-Forwarded-For: ${rnd.pick(['1.2.3.4', 'garbage', ', ,', '::1', segment()])}`);
  if (rnd.next() < 0.1) lines.push(`Origin: ${segment()}`);
  if (rnd.next() < 0.05) lines.push(`X-Big: ${'b'.repeat(20_000 + rnd.int(20_000))}`);
  if (rnd.next() < 0.05) for (let i = 0; i < 150; i++) lines.push(`X-H${i}: ${i}`);
  if (rnd.next() < 0.05) lines.push('X-Request-Id: ../../etc/passwd\u0001');
  let body = '';
  if (rnd.next() < 0.1) {
    body = segment();
    lines.push(`Content-Length: ${rnd.next() < 0.5 ? Buffer.byteLength(body) : rnd.int(10)}`);
  }
  if (rnd.next() < 0.03) lines.push('Transfer-Encoding: chunked', 'Content-Length: 3');
  if (rnd.next() < 0.02) return `${'\u0000garbage'.repeat(1 + rnd.int(50))}\r\n\r\n`;
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** Sends raw bytes, resolves with the status code of the first response (0 when none came). */
function send(port: number, raw: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let head = '';
    const done = (status: number) => {
      socket.destroy();
      resolve(status);
    };
    socket.setTimeout(10_000, () => done(-1));
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (m) done(Number(m[1]));
    });
    socket.on('error', () => done(0));
    socket.on('close', () => done(0));
    socket.write(raw, 'latin1');
  });
}

let db: MigratedTestDatabase;
let api: ApiProcess;

beforeAll(async () => {
  db = await migratedTestDatabase('api_fuzz');
  const keyPrefix = uniquePrefix('fuzz');
  const redisUrl = testServices().TEST_REDIS_URL;
  const ctx = await makeContext({ databaseUrl: db.url, redisUrl, keyPrefix });
  await seedSnapshot(ctx, buildSnapshot('24h'));
  await seedSnapshot(ctx, buildSnapshot('all'), { cache: false });
  await ctx.close();
  api = await spawnApi({
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    RATE_LIMIT_MAX: '1000000',
    SSE_MAX_PER_CLIENT: '1000',
  });
}, 60_000);

afterAll(async () => {
  await api?.stop();
  await db.drop();
});

it(`${COUNT} malformed requests: no 5xx, the process stays up (seed ${SEED})`, async () => {
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  const queue = Array.from({ length: COUNT }, () => request());
  const worker = async () => {
    for (let raw = queue.shift(); raw !== undefined; raw = queue.shift()) {
      const status = await send(api.port, raw);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500 || status === -1) failures.push(`${status} ${raw.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  expect(failures).toEqual([]);
  expect(api.child.exitCode).toBeNull();
  // Most requests got a proper answer; the few without one are refused connections (e.g. CONNECT).
  const answered = [...statuses].filter(([s]) => s > 0).reduce((n, [, c]) => n + c, 0);
  expect(answered).toBeGreaterThan(COUNT * 0.95);
  for (const status of [200, 400, 404, 405, 414, 431])
    expect(statuses.get(status), `status ${status}`).toBeGreaterThan(0);
  const health = await fetch(`${api.url}/health`);
  expect(health.status).toBe(200);
}, 120_000);
