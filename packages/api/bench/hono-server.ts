/**
 * Benchmark target: the real API (`startApi`) on real Redis and Postgres, rate limit raised so
 * the run measures the full middleware stack without being limited. Prints `READY <port>`.
 */
import { createCache } from '@nostr-info/shared/cache';
import { loadEnv } from '@nostr-info/shared/config';
import { createDatabases } from '@nostr-info/shared/db';
import { createLogger } from '@nostr-info/shared/log';
import { createRegistry } from '@nostr-info/shared/metrics';
import { startApi } from '../src/server.js';
import { reportCpuOnSignal } from './cpu-report.js';

const [databaseUrl = '', redisUrl = '', keyPrefix = ''] = process.argv.slice(2);
const env = loadEnv('api', {
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  REDIS_KEY_PREFIX: keyPrefix,
  HOST: '127.0.0.1',
  RATE_LIMIT_MAX: '100000000',
  LOG_LEVEL: 'warn',
});
const logger = createLogger({ level: 'warn' });
const dbs = await createDatabases({ databaseUrl, poolMax: 4 });
const cache = createCache(env, logger);
const registry = createRegistry({ service: 'api' });
const api = await startApi({ env: { ...env, PORT: 0 }, logger, dbs, cache, registry });
process.stdout.write(`READY ${api.port}\n`);
reportCpuOnSignal();
process.on('SIGTERM', () => {
  void api
    .stop()
    .then(() => Promise.allSettled([cache.close(), dbs.close()]))
    .then(() => process.exit(0));
});
