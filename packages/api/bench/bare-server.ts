/**
 * Benchmark baseline: a bare `node:http` server answering with the same bytes the API sends —
 * the body read once from the same Redis keys and, given a JSON map of request path to header
 * pairs (captured from one API response per path), the same header fields; without it, only
 * Content-Type and Content-Length. No logic beyond a Map lookup. Prints `READY <port>`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { reportCpuOnSignal } from './cpu-report.js';

const [redisUrl = '', keyPrefix = '', headersJson = '{}'] = process.argv.slice(2);
const captured = JSON.parse(headersJson) as Record<string, string[]>;
const redis = new Redis(redisUrl, { keyPrefix });
redis.on('error', () => {});
const bodies = new Map<string, Buffer>();
for (const range of ['24h', 'all']) {
  const json = await redis.get(`stats:${range}`);
  if (!json) throw new Error(`stats:${range} missing`);
  const snapshot = JSON.parse(json) as { overview: unknown };
  bodies.set(`/api/v1/stats/overview?range=${range}`, Buffer.from(JSON.stringify(snapshot.overview)));
  bodies.set(`/api/v1/stats/full/${range}`, Buffer.from(json));
}
await redis.quit();
const server = createServer((req, res) => {
  const body = bodies.get(req.url ?? '');
  if (!body) {
    res.writeHead(404).end();
    return;
  }
  const head = captured[req.url ?? ''];
  if (head) res.writeHead(200, head);
  else
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`);
});
reportCpuOnSignal();
process.on('SIGTERM', () => server.close(() => process.exit(0)));
