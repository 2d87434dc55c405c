// The collector as its own process for the benchmark (its RSS is the replica's RSS), run from the
// compiled package (`pnpm build` first) like production. Wired like the CLI; prints a JSON line of
// running totals every 250 ms on stdout; SIGTERM stops it.
import { createCache, createDatabases, createLogger, createRegistry, loadEnv } from '@nostr-info/shared';
import { startCollector } from '../dist/index.js';

const env = loadEnv('collector');
const logger = createLogger({ level: env.LOG_LEVEL });
const dbs = await createDatabases({ databaseUrl: env.DATABASE_URL, logger });
const cache = createCache(env, logger);
const service = await startCollector(
  { env, logger, dbs, cache, registry: createRegistry({ service: 'collector' }) },
  { nip11: false },
);
// Where the resident memory is: JS heap, external (Buffers and strings outside the heap) and
// ArrayBuffers, next to the RSS.
const memory = () => {
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
  };
};
const timer = setInterval(() => {
  process.stdout.write(`${JSON.stringify({ ...service.stats(), ...memory(), at: Date.now() })}\n`);
}, 250);
process.once('SIGTERM', () => {
  clearInterval(timer);
  void service.stop().then(async () => {
    await cache.close();
    await dbs.close();
    process.exit(0);
  });
});
