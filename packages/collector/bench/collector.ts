// Collector throughput benchmark (run on demand, prints figures; not a test).
//   pnpm --filter @nostr-info/collector bench -- --relays 240 --rate 6000 --seconds 10
// The simulated network runs in a separate process. Printed next to each other:
//   - the bare verifier: the collector's verifier on every core, nothing else;
//   - ws receive + JSON.parse alone: a plain client on every relay that only parses frames;
//   - the collector itself (real PostgreSQL and Redis): raw frames handled/s, signatures
//     verified/s, network-unique events/s, RSS.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { startSimNetworkProcess } from '@nostr-info/relay-sim';
import {
  createCache,
  createDatabases,
  createLogger,
  createRegistry,
  loadEnv,
  migrateToLatest,
} from '@nostr-info/shared';
import { createTestDatabase, testServices } from '@nostr-info/shared/testing';
import WebSocket from 'ws';
import { startCollector } from '../src/collector.js';
import { bareVerifierRate } from './bare-verifier.js';

const { values } = parseArgs({
  // `pnpm bench -- --x` passes the `--` through.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    relays: { type: 'string', default: '240' },
    rate: { type: 'string', default: '6000' },
    copies: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '10' },
    corpus: { type: 'string', default: '60000' },
    'corpus-cache': { type: 'string', default: '/tmp/nostr-info-bench-corpus' },
    'skip-limits': { type: 'boolean', default: false },
  },
});
const relays = Number(values.relays);
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const cores = availableParallelism();
const mb = (bytes: number) => Math.round(bytes / 1048576);
const fmt = (n: number) => Math.round(n).toLocaleString('en');

console.log(`collector benchmark: ${relays} relays, ${rate} unique events/s offered, ~${values.copies} copies, ${cores} cores`);

// 1. Bare verifier on all cores, before anything else runs.
const bare = values['skip-limits'] ? Number.NaN : await bareVerifierRate(cores, 3000);
if (!values['skip-limits']) console.log(`bare verifier (tiny-secp256k1, ${cores} threads): ${fmt(bare)} sig/s`);

const sim = await startSimNetworkProcess({
  relays,
  rate,
  copies: Number(values.copies),
  corpusSize: Number(values.corpus),
  corpusCacheDir: values['corpus-cache'],
  autoStart: false,
  seed: 'collector-bench',
  maxBufferedBytes: 256 * 1024 * 1024,
});
console.log(`simulated network up (pid ${sim.pid})`);

// 2. ws receive + JSON.parse alone.
let parseLimit = Number.NaN;
if (!values['skip-limits']) {
  let frames = 0;
  const sockets = sim.urls.map((url) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('open', () => ws.send(JSON.stringify(['REQ', 'b', { kinds: [0, 1, 3, 7, 9735, 30023, 10002], since: 0 }])));
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as unknown[];
      if (msg[0] === 'EVENT') frames++;
    });
    return ws;
  });
  await sim.waitForSubscribers(relays, 60_000);
  await sim.resume();
  await new Promise((r) => setTimeout(r, 1500));
  const f0 = frames;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, 4000));
  parseLimit = (frames - f0) / ((performance.now() - t0) / 1000);
  await sim.pause();
  for (const ws of sockets) ws.terminate();
  console.log(`ws receive + JSON.parse alone: ${fmt(parseLimit)} frames/s`);
  await new Promise((r) => setTimeout(r, 1000));
}

// 3. The collector.
const db = await createTestDatabase('collector_bench');
const migrator = await createDatabases({ databaseUrl: db.url });
await migrateToLatest(migrator.writer, 'postgres');
await migrator.close();
const env = loadEnv('collector', {
  DATABASE_URL: db.url,
  REDIS_URL: testServices().TEST_REDIS_URL,
  REDIS_KEY_PREFIX: `bench:collector:${Date.now()}:`,
  RELAYS: sim.urls.join(','),
  LOG_LEVEL: 'warn',
  DISCOVERY_ENABLED: 'false',
});
const logger = createLogger({ level: env.LOG_LEVEL });
const dbs = await createDatabases({ databaseUrl: env.DATABASE_URL });
const cache = createCache(env, logger);
const collector = await startCollector(
  { env, logger, dbs, cache, registry: createRegistry({ service: 'collector' }) },
  { nip11: false },
);
await sim.waitForSubscribers(relays, 60_000);
const rssIdle = process.memoryUsage().rss;
await sim.resume();
await new Promise((r) => setTimeout(r, 2000));
const s0 = collector.stats();
const u0 = (await sim.stats()).uniqueEmitted;
const t0 = performance.now();
let peakRss = 0;
for (let i = 0; i < seconds * 4; i++) {
  await new Promise((r) => setTimeout(r, 250));
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const elapsed = (performance.now() - t0) / 1000;
const s1 = collector.stats();
const u1 = (await sim.stats()).uniqueEmitted;
await sim.pause();
await collector.stop();
const unique = await dbs.writer
  .selectFrom('network_events_daily')
  .select((eb) => eb.fn.sum<number>('events').as('n'))
  .executeTakeFirst();
await cache.close();
await dbs.close();
await sim.stop();
await db.drop();

const raw = (s1.framesHandled - s0.framesHandled) / elapsed;
const verified = (s1.verified - s0.verified) / elapsed;
console.log('');
console.log(`collector (verify workers: ${s1.verifyWorkers}), steady state over ${elapsed.toFixed(1)} s:`);
console.log(`  offered by the network:      ${fmt((u1 - u0) / elapsed)} unique/s`);
console.log(`  raw EVENT frames handled:    ${fmt(raw)} /s   (limit: ws + JSON.parse alone ${fmt(parseLimit)} /s, target ≥ 20,000)`);
console.log(
  `  signatures verified:         ${fmt(verified)} /s   (${((verified / bare) * 100).toFixed(0)} % of the bare verifier's ${fmt(bare)} /s, target ≥ 80 %)`,
);
console.log(`  network-unique events total: ${fmt(Number(unique?.n ?? 0))} written`);
console.log(`  RSS: ${mb(rssIdle)} MB idle with ${relays} sockets, peak ${mb(peakRss)} MB under load`);
process.exit(0);
