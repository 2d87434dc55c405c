/**
 * Runs one API process for the multi-process tests: `node --import tsx serve-api.ts '<json>'`
 * with `{ env, options }`; prints `READY <port>` and stops gracefully on SIGTERM.
 */
import { createCache, createDatabases, createLogger, createRegistry, loadEnv } from '@nostr-info/shared';
import { type StartApiOptions, startApi } from '../src/server.js';

const { env: given, options = {} } = JSON.parse(process.argv[2] ?? '{}') as {
  env: Record<string, string>;
  options?: StartApiOptions;
};
const env = loadEnv('api', { HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...given });
const logger = createLogger({ level: env.LOG_LEVEL });
const dbs = await createDatabases({ databaseUrl: env.DATABASE_URL, poolMax: 4 });
const cache = createCache(env, logger);
const registry = createRegistry({ service: 'api', defaultMetrics: false });
const api = await startApi({ env: { ...env, PORT: 0 }, logger, dbs, cache, registry }, options);
process.stdout.write(`READY ${api.port}\n`);
process.on('SIGTERM', () => {
  void api
    .stop()
    .then(() => Promise.allSettled([cache.close(), dbs.close()]))
    .then(() => process.exit(0));
});
