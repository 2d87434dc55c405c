// Memory of the per-relay seen sets at default settings: 240 relays whose live rates follow a
// Zipf law (a few big relays, a long tail), fed for twice the resume lookback with a simulated
// clock. Prints heap + ArrayBuffer memory before and after, and the tables' own byte count.
//
//   (in packages/collector) node --expose-gc --import tsx test/tools/seen-memory.ts [copiesPerSecond] [relays]
import { randomBytes } from 'node:crypto';
import { RelaySeen } from '../../src/dedup/relay-seen.js';

const copiesPerSecond = Number(process.argv[2] ?? 150);
const relays = Number(process.argv[3] ?? 240);
const lookbackSeconds = 900;
const seconds = 2 * lookbackSeconds;

const gc = (globalThis as { gc?: () => void }).gc;
const memory = async () => {
  // Several passes: ArrayBuffers are released after the collection that finds them dead.
  for (let i = 0; i < 4; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

// Relay i gets a share proportional to 1 / (i + 1).
const harmonic = Array.from({ length: relays }, (_, i) => 1 / (i + 1)).reduce((a, b) => a + b, 0);
const rates = Array.from({ length: relays }, (_, i) => copiesPerSecond / (i + 1) / harmonic);

await memory();
const before = await memory();
let nowMs = 1_700_000_000_000;
const sets = rates.map(() => new RelaySeen({ lookbackSeconds, now: () => nowMs }));
const debt = rates.map(() => 0);
let added = 0;
for (let s = 0; s < seconds; s++) {
  nowMs += 1000;
  const nowSec = nowMs / 1000;
  for (let r = 0; r < relays; r++) {
    debt[r] = (debt[r] as number) + (rates[r] as number);
    for (; (debt[r] as number) >= 1; debt[r] = (debt[r] as number) - 1) {
      // 2 % late-published (created_at up to 2 h old), the rest within seconds of now.
      const late = added % 50 === 0;
      const createdAt = nowSec - (late ? Math.floor(Math.random() * 7200) : Math.floor(Math.random() * 5));
      (sets[r] as RelaySeen).add(randomBytes(32).toString('hex'), createdAt);
      added += 1;
    }
  }
}
const after = await memory();
const tables = sets.reduce((n, set) => n + set.bytes, 0);
const entries = sets.reduce((n, set) => n + set.size, 0);
const capped = sets.filter((set) => set.evicted > 0).length;
console.log(
  `${relays} relays, ${copiesPerSecond} copies/s (top relay ${(rates[0] as number).toFixed(1)}/s), ` +
    `lookback ${lookbackSeconds} s, ${seconds} s fed, ${added} ids added`,
);
console.log(`ids held: ${entries}; relays whose set was full at some point: ${capped}`);
console.log(
  `tables: ${mb(tables)}; heap + ArrayBuffers grew by ${mb(after - before)}${gc ? '' : ' (run with --expose-gc)'}`,
);

// The same number of ids as 64-character strings in a Map per relay (the representation before).
const maps = sets.map((set) => {
  const map = new Map<string, number>();
  for (let i = 0; i < set.size; i++) map.set(randomBytes(32).toString('hex'), 1_700_000_000 + i);
  return map;
});
const withMaps = await memory();
console.log(`the same ids in Map<string, number>: ${mb(withMaps - after)} (${maps.length} maps)`);
