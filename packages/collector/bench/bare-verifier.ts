import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { BACKEND_PATHS, LOAD_VERIFIER_SOURCE, type VerifierPreference } from '../src/verify/schnorr.js';

/** Signed events packed as id|pubkey|sig (128 bytes each), as the collector sends them to workers. */
export function packedSample(n = 2000): Uint8Array {
  const out = Buffer.alloc(n * 128);
  for (let i = 0; i < n; i++) {
    const e = finalizeEvent(
      { kind: 1, created_at: 1_700_000_000 + i, tags: [], content: `b${i}` },
      generateSecretKey(),
    );
    out.write(e.id, i * 128, 32, 'hex');
    out.write(e.pubkey, i * 128 + 32, 32, 'hex');
    out.write(e.sig, i * 128 + 64, 64, 'hex');
  }
  return out;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
${LOAD_VERIFIER_SOURCE}
const { verify } = loadVerifier(workerData.paths, workerData.prefer);
const bytes = Buffer.from(workerData.packed);
const n = bytes.length / 128;
const until = Date.now() + workerData.ms;
let done = 0;
while (Date.now() < until) {
  for (let i = 0; i < 100; i++) {
    const o = (done % n) * 128;
    if (!verify(bytes.subarray(o, o + 32), bytes.subarray(o + 32, o + 64), bytes.subarray(o + 64, o + 128))) throw new Error('bad');
    done++;
  }
}
parentPort.postMessage(done);
`;

/** Signatures per second of the collector's verifier on `threads` worker threads. */
export async function bareVerifierRate(
  threads = availableParallelism(),
  ms = 3000,
  prefer: VerifierPreference = 'auto',
): Promise<number> {
  const packed = packedSample();
  const started = performance.now();
  const counts = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const w = new Worker(WORKER, {
            eval: true,
            workerData: { paths: BACKEND_PATHS, prefer, packed: packed.buffer, ms },
          });
          w.once('message', (n: number) => {
            void w.terminate();
            resolve(n);
          });
          w.once('error', reject);
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  return counts.reduce((a, b) => a + b, 0) / seconds;
}
