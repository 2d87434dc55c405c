// Collector throughput benchmark (run on demand, prints figures; not a test).
//   pnpm --filter @nostr-info/collector bench -- --relays 240 --rate 6000 --seconds 10
// The simulated network runs in a separate process. Printed next to each other:
//   - the bare verifier: the collector's verifier on every core, nothing else;
//   - ws receive + JSON.parse alone: a plain client on every relay that only parses frames;
//   - the collector itself, in its own process (real PostgreSQL and Redis): raw frames
//     handled/s, signatures verified/s, network-unique events/s, RSS.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSimNetworkProcess } from '@nostr-info/relay-sim';
import { createCache } from '@nostr-info/shared/cache';
import { createDatabases, migrateToLatest } from '@nostr-info/shared/db';
import { createTestDatabase, dropRedisPrefix, testServices } from '@nostr-info/shared/testing';
import WebSocket from 'ws';
import type { CollectorStats } from '../src/collector-types.js';
import { loadVerifier } from '../src/verify/schnorr.js';
import { watchedFor } from '../test/helpers/checkpoint.js';
import { bareVerifierRate } from './bare-verifier.js';
import { processCpuMicros } from './proc-cpu.js';

/** Benchmarks report on stdout. */
const print = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

const { values } = parseArgs({
  // `pnpm bench -- --x` passes the `--` through.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    relays: { type: 'string', default: '240' },
    rate: { type: 'string', default: '6000' },
    copies: { type: 'string', default: '6' },
    // Every unique event arrives from `copies` relays (the simulator's own default sends a fifth
    // of them to one relay only).
    'multi-share': { type: 'string', default: '1' },
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

print(
  `collector benchmark: ${relays} relays, ${rate} unique events/s offered, ${values.copies} copies for a share of ${values['multi-share']} (else 1), ${cores} cores`,
);

// 1. Bare verifier on all cores, before anything else runs.
const bare = values['skip-limits'] ? Number.NaN : await bareVerifierRate(cores, 3000);
if (!values['skip-limits'])
  print(`bare verifier (${loadVerifier().name}, ${cores} threads): ${fmt(bare)} sig/s`);

const sim = await startSimNetworkProcess({
  relays,
  rate,
  copies: Number(values.copies),
  multiRelayShare: Number(values['multi-share']),
  corpusSize: Number(values.corpus),
  corpusCacheDir: values['corpus-cache'],
  autoStart: false,
  seed: 'collector-bench',
  maxBufferedBytes: 256 * 1024 * 1024,
});
print(`simulated network up (pid ${sim.pid})`);

// 3. ws receive + JSON.parse alone, on the same network afterwards (a subscription from the
// future: the relays push live events to it and replay none of what the collector was sent).
async function parseAlone(): Promise<number> {
  let frames = 0;
  const since = Math.floor(Date.now() / 1000) + 86_400;
  const sockets = sim.urls.map((url) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('open', () =>
      ws.send(JSON.stringify(['REQ', 'b', { kinds: [0, 1, 3, 7, 9735, 30023, 10002], since }])),
    );
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
  const rate = (frames - f0) / ((performance.now() - t0) / 1000);
  await sim.pause();
  for (const ws of sockets) ws.terminate();
  return rate;
}

// 2. The collector, in its own process (first: the relays hold nothing yet, so its resumed
// subscriptions below replay nothing).
const db = await createTestDatabase('collector_bench');
const migrator = await createDatabases({ databaseUrl: db.url });
await migrateToLatest(migrator.writer, 'postgres');
await migrator.close();

interface Sample extends CollectorStats {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** µs of CPU: the whole process and its main thread. */
  cpu: number;
  mainThreadCpu: number;
  /** Main-thread garbage collection so far (ms), by kind. */
  gcMinorMs: number;
  gcMajorMs: number;
  gcIncrementalMs: number;
  /** The longest event-loop stall since the previous sample (ms). */
  stallMs: number;
  at: number;
}
const samples: Sample[] = [];
// Node flags of the collector process: the chart's `collector.nodeOptions` (as production runs
// it) unless BENCH_NODE_ARGS says otherwise (BENCH_NODE_ARGS= for V8's defaults).
const chartValues = readFileSync(new URL('../../../charts/nostr-info/values.yaml', import.meta.url), 'utf8');
const chartNodeOptions = /^\s+nodeOptions:\s*"([^"]*)"/m.exec(chartValues)?.[1] ?? '';
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? chartNodeOptions).split(' ').filter(Boolean);
// The seen sets' memory budget as the chart sets it, unless RESUME_MEMORY_MB says otherwise.
const resumeMemoryMb = process.env.RESUME_MEMORY_MB ?? /^\s+resumeMemoryMb:\s*(\d+)/m.exec(chartValues)?.[1];
print(`collector node flags: ${nodeArgs.join(' ') || '(V8 defaults)'}`);
// Every relay as if watched for a day already (the checkpoints a previous replica leaves), so the
// seen sets take the cached corpus' ids, which are older than this run (a collector never
// remembers ids from before its first subscription). The resumed REQs ask a day back; the relays
// hold nothing yet, so nothing is replayed.
const redisKeyPrefix = `bench:collector:${Date.now()}:`;
const seeding = createCache({
  REDIS_URL: testServices().TEST_REDIS_URL,
  REDIS_KEY_PREFIX: redisKeyPrefix,
  REDIS_CLUSTER_NODES: undefined,
});
await watchedFor(seeding, sim.urls, 86_400);
await seeding.close();
const child = spawn(
  process.execPath,
  [...nodeArgs, fileURLToPath(new URL('./collector-process.mjs', import.meta.url))],
  {
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      REDIS_URL: testServices().TEST_REDIS_URL,
      REDIS_KEY_PREFIX: redisKeyPrefix,
      RELAYS: sim.urls.join(','),
      ...(resumeMemoryMb ? { RESUME_MEMORY_MB: resumeMemoryMb } : {}),
      // The corpus is signed once and cached, so its created_at age with the cache: a day of
      // look-back (and the day-old checkpoints above) keeps every event in the seen sets, which
      // then fill to their budget (the most memory they take) whatever the corpus' age.
      RESUME_LOOKBACK_SECONDS: '86400',
      LOG_LEVEL: 'warn',
      DISCOVERY_ENABLED: 'false',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
createInterface({ input: child.stdout }).on('line', (line) => {
  try {
    const parsed = JSON.parse(line) as Partial<Sample>;
    // Log lines share stdout with the samples.
    if (typeof parsed.framesHandled === 'number') {
      samples.push(parsed as Sample);
      if (process.env.BENCH_TRACE) print(`trace ${line}`);
    }
  } catch {
    // Not a sample line.
  }
});
const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
const last = (): Sample => {
  const s = samples.at(-1);
  if (!s) throw new Error('no sample from the collector process');
  return s;
};
await sim.waitForSubscribers(relays, 60_000);
await new Promise((r) => setTimeout(r, 1000));
const rssIdle = last().rss;
await sim.resume();
await new Promise((r) => setTimeout(r, 3000));
const s0 = last();
const simCpu0 = processCpuMicros(sim.pid ?? -1);
const u0 = (await sim.stats()).uniqueEmitted;
await new Promise((r) => setTimeout(r, seconds * 1000));
const s1 = last();
const simCpu1 = processCpuMicros(sim.pid ?? -1);
const u1 = (await sim.stats()).uniqueEmitted;
const peakRss = Math.max(...samples.map((s) => s.rss));
await sim.pause();
child.kill('SIGTERM');
await exited;
const dbs = await createDatabases({ databaseUrl: db.url });
const unique = await dbs.writer
  .selectFrom('network_events_daily')
  .select((eb) => eb.fn.sum<number>('events').as('n'))
  .executeTakeFirst();
await dbs.close();
const parseLimit = values['skip-limits'] ? Number.NaN : await parseAlone();
await sim.stop();
await db.drop();
// The claims of a run live a day: left behind, a few runs fill Redis with millions of keys that
// every test scanning for its own prefix then walks through.
await dropRedisPrefix(testServices().TEST_REDIS_URL, redisKeyPrefix);

if (!values['skip-limits']) print(`ws receive + JSON.parse alone: ${fmt(parseLimit)} frames/s`);
const elapsed = (s1.at - s0.at) / 1000;
const raw = (s1.framesHandled - s0.framesHandled) / elapsed;
const verified = (s1.verified - s0.verified) / elapsed;
const uniqueRate = (s1.unique - s0.unique) / elapsed;
// The simulated network shares the machine: the cores it used in the window are not the
// collector's. The verifier limit on the collector's cores is the bare rate per core times the
// cores left.
const coresOf = (micros: number) => micros / 1e6 / elapsed;
const simCores = coresOf(simCpu1 - simCpu0);
const collectorCores = coresOf(s1.cpu - s0.cpu);
const mainCores = coresOf(s1.mainThreadCpu - s0.mainThreadCpu);
const coresLeft = cores - simCores;
const bareLeft = (bare / cores) * coresLeft;
const pct = (n: number, of: number) => `${((n / of) * 100).toFixed(0)} %`;
/** A reference rate, or why there is none (`--skip-limits` does not measure them). */
const limit = (rate: number) => (Number.isNaN(rate) ? 'not measured (--skip-limits)' : `${fmt(rate)} /s`);
const ofLimit = (n: number, rate: number) =>
  Number.isNaN(rate) ? limit(rate) : `${pct(n, rate)} of ${limit(rate)}`;
print('');
print(`collector process (verify workers: ${s1.verifyWorkers}), steady state over ${elapsed.toFixed(1)} s:`);
print(`  offered by the network:      ${fmt((u1 - u0) / elapsed)} unique/s`);
print(
  `  CPU in the window:           simulated network ${simCores.toFixed(2)} cores, collector ${collectorCores.toFixed(2)} cores (main thread ${mainCores.toFixed(2)}, verify workers + V8 helpers ${(collectorCores - mainCores).toFixed(2)})`,
);
print(
  `  raw EVENT frames handled:    ${fmt(raw)} /s   (limit: ws + JSON.parse alone ${limit(parseLimit)}; target ≥ 20,000)`,
);
print(`  collector CPU per frame:     ${((collectorCores * 1e6) / raw).toFixed(1)} µs`);
print(
  `  signatures verified:         ${fmt(verified)} /s   (network-unique events counted: ${fmt(uniqueRate)} /s)`,
);
print(`  verification batches:        ${fmt((s1.batchesSent - s0.batchesSent) / elapsed)} /s`);
print(
  `    vs the bare verifier on the ${coresLeft.toFixed(2)} cores the simulated network left: ${ofLimit(verified, bareLeft)} (target ≥ 80 %)`,
);
print(`    vs the bare verifier on all ${cores} cores, nothing else running: ${ofLimit(verified, bare)}`);
// What the ratio could reach at this run's own costs: the CPU the collector and the simulated
// network spent per unique event, if every core did nothing else.
const cpuPerUnique = ((collectorCores + simCores) * 1e6) / uniqueRate;
const ceiling = (cores * 1e6) / cpuPerUnique;
print(
  `    ceiling at this run's CPU per unique event, meaningful when the collector is saturated (${fmt(cpuPerUnique)} µs: collector ${fmt((collectorCores * 1e6) / uniqueRate)}, network ${fmt((simCores * 1e6) / uniqueRate)}): ${fmt(ceiling)} unique/s on ${cores} cores${Number.isNaN(bare) ? '' : ` = ${pct(ceiling, bare)} of the bare verifier`}`,
);
const gcShare = (key: 'gcMinorMs' | 'gcMajorMs' | 'gcIncrementalMs') =>
  `${(((s1[key] ?? 0) - (s0[key] ?? 0)) / 10 / elapsed).toFixed(1)} %`;
const stalls = samples.filter((s) => s.at > s0.at && s.at <= s1.at).map((s) => s.stallMs ?? 0);
print(
  `  main-thread GC pauses:       scavenges ${gcShare('gcMinorMs')}, mark-compact ${gcShare('gcMajorMs')}, incremental marking ${gcShare('gcIncrementalMs')} of the window`,
);
print(
  `  event-loop stalls:           longest ${fmt(Math.max(0, ...stalls))} ms; ${stalls.filter((ms) => ms >= 100).length} of ${stalls.length} quarter-seconds held one of ≥ 100 ms`,
);
const flushes = (s1.flushes ?? 0) - (s0.flushes ?? 0);
print(
  `  counter flushes:             ${flushes} in the window, ${flushes > 0 ? (((s1.flushMs ?? 0) - (s0.flushMs ?? 0)) / flushes / 1000).toFixed(2) : '-'} s each (FLUSH_INTERVAL_MS apart at best)`,
);
print(`  network-unique events total: ${fmt(Number(unique?.n ?? 0))} written`);
print(
  `  per-relay seen sets: ${mb(s1.seenBytes)} MB at the end (they fill up to RESUME_MEMORY_MB, ${resumeMemoryMb ?? 'default'} MB, as the look-back window fills: run --seconds long enough for a steady state)`,
);
print(`  RSS: ${mb(rssIdle)} MB idle with ${relays} relays, peak ${mb(peakRss)} MB under load`);
const peakOf = (key: 'heapUsed' | 'heapTotal' | 'external' | 'arrayBuffers') =>
  mb(Math.max(...samples.map((s) => s[key] ?? 0)));
const atPeak = samples.find((s) => s.rss === peakRss);
print(
  `  at the RSS peak: heap ${mb(atPeak?.heapUsed ?? 0)}/${mb(atPeak?.heapTotal ?? 0)} MB used/total, external ${mb(atPeak?.external ?? 0)} MB (ArrayBuffers ${mb(atPeak?.arrayBuffers ?? 0)} MB), in flight ${fmt(atPeak?.inFlight ?? 0)}`,
);
print(
  `  peaks: heap used ${peakOf('heapUsed')} MB, heap total ${peakOf('heapTotal')} MB, external ${peakOf('external')} MB, ArrayBuffers ${peakOf('arrayBuffers')} MB`,
);
process.exit(0);
