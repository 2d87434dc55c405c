import { availableParallelism } from 'node:os';
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import type { VerifierPreference } from '../src/verify/schnorr.js';
import { startWorker } from '../src/verify/start-worker.js';
import type { BareVerifierData, BareVerifierResult } from './bare-verifier-worker.js';

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

/** Signatures per second of the collector's verifier on `threads` worker threads. */
export async function bareVerifierRate(
  threads = availableParallelism(),
  ms = 3000,
  prefer: VerifierPreference = 'auto',
): Promise<number> {
  const packed = packedSample();
  // Each thread times its own loop: starting a worker from sources (tsx) is not verification.
  const rates = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const workerData: BareVerifierData = { prefer, packed: packed.buffer as ArrayBuffer, ms };
          const w = startWorker(new URL('./bare-verifier-worker.js', import.meta.url), { workerData });
          w.once('message', ({ done, seconds }: BareVerifierResult) => {
            void w.terminate();
            resolve(done / seconds);
          });
          w.once('error', reject);
        }),
    ),
  );
  return rates.reduce((a, b) => a + b, 0);
}
