// Main-thread cost of the event pipeline, in process and without sockets (prints figures; not a
// test). Feeds realistic EVENT frames — each unique event from `--copies` of `--relays` relays,
// copies spread over a window of arrivals as on a live network — through the collector's real
// pipeline (real verifier pool, real network dedup on Redis, real aggregation), then prints the
// main thread's CPU time per frame and per unique event.
//   pnpm --filter @nostr-info/collector bench:pipeline -- --events 20000 --copies 6
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadOrGenerateCorpus, pureSigner } from '@nostr-info/relay-sim';
import { createCache } from '@nostr-info/shared/cache';
import { createLogger } from '@nostr-info/shared/log';
import { createRegistry } from '@nostr-info/shared/metrics';
import { dropRedisPrefix, testServices } from '@nostr-info/shared/testing';
import { Aggregator } from '../src/aggregate/aggregator.js';
import { NetworkDedup } from '../src/dedup/dedup.js';
import { ValidIds } from '../src/dedup/valid-ids.js';
import { createCollectorMetrics } from '../src/observe/metrics.js';
import { EventPipeline } from '../src/pipeline.js';
import { type ConnectionHost, RelayConnection } from '../src/relay/relay-connection.js';
import { VerifyPool } from '../src/verify/verify-pool.js';

const print = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    events: { type: 'string', default: '20000' },
    copies: { type: 'string', default: '6' },
    relays: { type: 'string', default: '240' },
    // Arrivals between the first and the last copy of an event.
    spread: { type: 'string', default: '3000' },
    'corpus-cache': { type: 'string', default: '/tmp/nostr-info-bench-corpus' },
    rounds: { type: 'string', default: '3' },
  },
});
const nEvents = Number(values.events);
const copies = Number(values.copies);
const nRelays = Number(values.relays);
const spread = Number(values.spread);

const corpus = loadOrGenerateCorpus(values['corpus-cache'], {
  size: nEvents,
  seed: 'pipeline-bench',
  signer: pureSigner,
});
// Frames as relays send them: the event's JSON after a subscription prefix, byte-identical copies.
const lines = corpus.map((e) => JSON.stringify(e));

/** Main-thread CPU time in µs (Linux /proc; 10 ms ticks, so runs should last seconds). */
function mainThreadMicros(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10_000;
}

const logger = createLogger({ level: 'warn' });
const keyPrefix = `bench:pipeline:${Date.now()}:`;
const cache = createCache(
  { REDIS_URL: testServices().TEST_REDIS_URL, REDIS_KEY_PREFIX: keyPrefix } as never,
  logger,
);
const verifier = new VerifyPool({});

async function round(label: string): Promise<void> {
  const registry = createRegistry({ service: 'collector' });
  const metrics = createCollectorMetrics(registry);
  const aggregator = new Aggregator();
  const host: ConnectionHost = {
    logger,
    metrics,
    buffer: () => aggregator.buffer,
    onEventFrame: () => true,
    paused: () => false,
  };
  const conns = Array.from(
    { length: nRelays },
    (_, i) => new RelayConnection(i + 1, `wss://relay-${i}.example.com/`, host),
  );
  // Each relay's frames come under the subscription it was sent (checked on every copy).
  for (const conn of conns) conn.subscriptions.open('nostr-info', { since: 0 });
  const pipeline = new EventPipeline({
    aggregator,
    validIds: new ValidIds(150_000),
    dedup: new NetworkDedup({ cache, ttlSeconds: 600 }),
    verifier,
    metrics,
    discovery: false,
  });
  // Arrival order: copy k of event i arrives at slot i + k * spread / copies (then sorted).
  const arrivals: { at: number; conn: RelayConnection; frame: Buffer }[] = [];
  const subPrefix = '["EVENT","nostr-info",';
  for (const [i, line] of lines.entries()) {
    for (let k = 0; k < copies; k++) {
      const conn = conns[(i * 7 + k * 41) % nRelays] as RelayConnection;
      arrivals.push({ at: i + (k * spread) / copies, conn, frame: Buffer.from(`${subPrefix}${line}]`) });
    }
  }
  arrivals.sort((a, b) => a.at - b.at);
  const frames = arrivals.length;

  const cpu0 = mainThreadMicros();
  const t0 = performance.now();
  // Fed in slices like socket reads, one slice per event-loop turn, with the collector's bound
  // on answers pending.
  let next = 0;
  await new Promise<void>((resolve) => {
    const step = () => {
      if (pipeline.inFlight < 2000) {
        const end = Math.min(frames, next + 256);
        const now = Date.now();
        for (; next < end; next++) {
          const a = arrivals[next];
          if (a) pipeline.handle(a.conn, a.frame, now);
        }
      }
      if (next < frames || pipeline.inFlight > 0) setImmediate(step);
      else resolve();
    };
    step();
  });
  const wall = (performance.now() - t0) / 1000;
  const cpu = mainThreadMicros() - cpu0;
  print(
    `${label}: ${frames.toLocaleString('en')} frames (${nEvents.toLocaleString('en')} unique × ${copies}) in ${wall.toFixed(2)} s wall; ` +
      `main thread ${(cpu / frames).toFixed(1)} µs/frame, ${(cpu / nEvents).toFixed(0)} µs/unique; ` +
      `unique counted ${pipeline.uniqueCounted.toLocaleString('en')}, signatures verified ${verifier.verified.toLocaleString('en')} so far`,
  );
}

print(`pipeline benchmark: verifier ${verifier.backend}, ${nRelays} relays, spread ${spread} arrivals`);
// The first round also claims the ids network-wide; later rounds see them as known to Redis (as
// a second replica would) — both paths cost the same on this side.
for (let r = 1; r <= Number(values.rounds); r++) await round(`round ${r}`);
await verifier.close();
await cache.close();
// Its claims live a day; left behind, they slow every test that scans Redis for its own prefix.
await dropRedisPrefix(testServices().TEST_REDIS_URL, keyPrefix);
