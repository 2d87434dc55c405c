// The census's IP databases: time and memory to open the bundled files, and lookups per second.
// Run: pnpm --filter @nostr-info/collector bench:geo-db
import { bundledGeoDbPaths, openGeoDb } from '../src/census/geo-db.js';

/** Benchmarks report on stdout. */
const print = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const gc = (globalThis as { gc?: () => void }).gc;

gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const rssBefore = process.memoryUsage().rss;
const started = performance.now();
const db = await openGeoDb(bundledGeoDbPaths());
const openMs = performance.now() - started;
gc?.();
const heapAfter = process.memoryUsage().heapUsed;
const rssAfter = process.memoryUsage().rss;
print(`open: ${openMs.toFixed(0)} ms`);
print(
  `heap retained: ${mb(heapAfter - heapBefore)}${gc ? '' : ' (run with --expose-gc for a settled figure)'}`,
);
print(`rss growth: ${mb(rssAfter - rssBefore)}`);

// Random public-looking addresses of both families (deterministic).
let seed = 1;
const next = (): number => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed;
};
const addresses = Array.from({ length: 10_000 }, (_, i) =>
  i % 4 === 3
    ? `2a0${next() % 10}:${(next() % 65536).toString(16)}::${(next() % 65536).toString(16)}`
    : `${1 + (next() % 222)}.${next() % 256}.${next() % 256}.${next() % 256}`,
);
let located = 0;
const until = performance.now() + 2000;
const t0 = performance.now();
let n = 0;
while (performance.now() < until) {
  for (let k = 0; k < 100; k++) {
    const place = db.locate(addresses[n % addresses.length] ?? '');
    if (place.asn !== null) located++;
    n++;
  }
}
const seconds = (performance.now() - t0) / 1000;
print(
  `lookups: ${Math.round(n / seconds).toLocaleString('en')} /s (${((located / n) * 100).toFixed(0)} % found in the ASN table)`,
);
