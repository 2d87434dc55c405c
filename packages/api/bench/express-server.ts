/**
 * Benchmark comparison: the stack of the original design, Express with helmet, cors,
 * compression and express-rate-limit on rate-limit-redis, reading the snapshot from the same
 * Redis on every request. Prints `READY <port>`.
 */
import type { AddressInfo } from 'node:net';
import compression from 'compression';
import cors from 'cors';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { Redis } from 'ioredis';
import { type RedisReply, RedisStore } from 'rate-limit-redis';
import { reportCpuOnSignal } from './cpu-report.js';

const [redisUrl = '', keyPrefix = ''] = process.argv.slice(2);
const redis = new Redis(redisUrl);
// Connections reset while the process stops are expected here.
redis.on('error', () => {});
const app = express();
app.use(helmet());
app.use(cors());
app.use(compression());
app.use(
  rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: 100_000_000,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: new RedisStore({
      prefix: `${keyPrefix}express-rl:`,
      sendCommand: (command: string, ...args: string[]) =>
        redis.call(command, ...args) as Promise<RedisReply>,
    }),
  }),
);
const snapshot = async (range: string) => {
  const json = await redis.get(`${keyPrefix}stats:${range}`);
  return json ? (JSON.parse(json) as Record<string, unknown>) : undefined;
};
app.get('/api/v1/stats/overview', async (req, res) => {
  const s = await snapshot(String(req.query.range ?? '24h'));
  if (!s) return void res.status(503).json({ error: { code: 'no_snapshot', message: 'no snapshot' } });
  res.json(s.overview);
});
app.get('/api/v1/stats/full/:range', async (req, res) => {
  const s = await snapshot(req.params.range);
  if (!s) return void res.status(503).json({ error: { code: 'no_snapshot', message: 'no snapshot' } });
  res.json(s);
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`);
});
reportCpuOnSignal();
process.on('SIGTERM', () => {
  server.close(() => {
    void redis.quit().finally(() => process.exit(0));
  });
});
