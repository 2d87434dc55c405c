// Runs the built collector role (`dist/`, which the tests' global set-up compiles) as its own
// process, wired like the CLI's `collector` command (env → context → startCollector with /metrics
// served; SIGTERM stops, flushes and exits 0). Plain JavaScript started by plain node, as in the
// image: no TypeScript loader in the process or its verify worker, so start-up timings (re-shards,
// restarts after a crash) are the product's, not a test transform's.
import { createCache } from '@nostr-info/shared/cache';
import { loadEnv } from '@nostr-info/shared/config';
import { createDatabases } from '@nostr-info/shared/db';
import { createLogger } from '@nostr-info/shared/log';
import { createRegistry } from '@nostr-info/shared/metrics';
import { startCollector } from '../../dist/collector.js';

const env = loadEnv('collector');
const logger = createLogger({ level: env.LOG_LEVEL });
const dbs = await createDatabases({ databaseUrl: env.DATABASE_URL, poolMax: 4, logger });
const cache = createCache(env, logger);
const registry = createRegistry({ service: 'collector' });
const service = await startCollector(
  { env, logger, dbs, cache, registry },
  // Fenced, it stops as the CLI's process does: SIGTERM to itself.
  { serveMetrics: true, nip11: false, onFenced: () => process.kill(process.pid, 'SIGTERM') },
);
process.once('SIGTERM', () => {
  void (async () => {
    await service.stop();
    await cache.close();
    await dbs.close();
    process.exit(0);
  })();
});
