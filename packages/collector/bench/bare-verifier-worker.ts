// Worker of `bare-verifier.ts`: runs the collector's batch loop over a packed sample, 100 items at
// a time, for `ms`, then posts how many signatures it checked in how long (its start-up excluded).
import { parentPort, workerData } from 'node:worker_threads';
import type { VerifierPreference } from '../src/verify/schnorr.js';
import { ITEM_BYTES, verifyBatch } from '../src/verify/verify-batch.js';

/** `workerData` of a bare-verifier worker. */
export interface BareVerifierData {
  prefer: VerifierPreference;
  /** Signed items packed as in a verification batch; a multiple of 100. */
  packed: ArrayBuffer;
  ms: number;
}

/** What a bare-verifier worker posts when its time is up. */
export interface BareVerifierResult {
  done: number;
  seconds: number;
}

const CHUNK = 100;
const { prefer, packed, ms } = workerData as BareVerifierData;
const bytes = new Uint8Array(packed);
const chunks = bytes.byteLength / (CHUNK * ITEM_BYTES);
const started = performance.now();
const until = Date.now() + ms;
let done = 0;
while (Date.now() < until) {
  const at = ((done / CHUNK) % chunks) * CHUNK * ITEM_BYTES;
  const results = verifyBatch(bytes.subarray(at, at + CHUNK * ITEM_BYTES), CHUNK, prefer);
  if (!results.every((ok) => ok === 1)) throw new Error('bad');
  done += CHUNK;
}
const result: BareVerifierResult = { done, seconds: (performance.now() - started) / 1000 };
parentPort?.postMessage(result);
