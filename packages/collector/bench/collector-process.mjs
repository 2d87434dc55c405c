// The collector as its own process for the benchmark (its RSS is the replica's RSS), run from the
// compiled package (`pnpm build` first) like production. Wired like the CLI; prints a JSON line of
// running totals every 250 ms on stdout; SIGTERM stops it.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver, constants as perf } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { createCache } from '@nostr-info/shared/cache';
import { loadEnv } from '@nostr-info/shared/config';
import { createDatabases } from '@nostr-info/shared/db';
import { createLogger } from '@nostr-info/shared/log';
import { createRegistry } from '@nostr-info/shared/metrics';
import { startCollector } from '../dist/index.js';

const env = loadEnv('collector');
const logger = createLogger({ level: env.LOG_LEVEL });
const dbs = await createDatabases({ databaseUrl: env.DATABASE_URL, logger });
const cache = createCache(env, logger);
const service = await startCollector(
  { env, logger, dbs, cache, registry: createRegistry({ service: 'collector' }) },
  {
    nip11: false,
    // Tunables for experiments: BENCH_MAX_IN_FLIGHT, BENCH_VALID_IDS (defaults otherwise).
    maxInFlight: Number(process.env.BENCH_MAX_IN_FLIGHT) || undefined,
    validIdsMax: Number(process.env.BENCH_VALID_IDS) || undefined,
  },
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
// CPU time in µs: the whole process (every thread) and the main thread alone (Linux /proc;
// utime + stime in clock ticks of 10 ms).
const cpu = () => {
  const { user, system } = process.cpuUsage();
  let mainThread = Number.NaN;
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    mainThread = (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    // Not Linux: the main-thread share is not reported.
  }
  return { cpu: user + system, mainThreadCpu: mainThread };
};
// Main-thread garbage collection, ms so far by kind, and the longest event-loop stall of each
// sample period (ms).
const gc = { gcMinorMs: 0, gcMajorMs: 0, gcIncrementalMs: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = entry.detail?.kind;
    if (kind === perf.NODE_PERFORMANCE_GC_MINOR) gc.gcMinorMs += entry.duration;
    else if (kind === perf.NODE_PERFORMANCE_GC_MAJOR) gc.gcMajorMs += entry.duration;
    else if (kind === perf.NODE_PERFORMANCE_GC_INCREMENTAL) gc.gcIncrementalMs += entry.duration;
  }
}).observe({ entryTypes: ['gc'] });
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const timer = setInterval(() => {
  const stallMs = loopDelay.max / 1e6;
  loopDelay.reset();
  process.stdout.write(
    `${JSON.stringify({ ...service.stats(), ...memory(), ...cpu(), ...gc, stallMs, at: Date.now() })}\n`,
  );
}, 250);
// BENCH_SNAPSHOT=<ms>: one heap snapshot that long after start (where the memory is, by owner).
if (process.env.BENCH_SNAPSHOT) {
  setTimeout(
    () => process.stderr.write(`heap snapshot: ${writeHeapSnapshot()}\n`),
    Number(process.env.BENCH_SNAPSHOT),
  ).unref();
}
process.once('SIGTERM', () => {
  clearInterval(timer);
  void service.stop().then(async () => {
    await cache.close();
    await dbs.close();
    process.exit(0);
  });
});
