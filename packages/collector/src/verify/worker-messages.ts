import type { VerifierBackend, VerifierPreference } from './schnorr.js';

/** `workerData` of a verify worker. */
export interface VerifyWorkerData {
  prefer: VerifierPreference;
}

/** Pool → worker: a packed batch (its buffer transferred), or the request to exit between batches. */
export type ToVerifyWorker =
  | { batchId: number; packed: ArrayBuffer; count: number; exit?: undefined }
  | { exit: true };

/** Worker → pool: the verifier it loaded (once, at start), then one answer per batch. */
export type FromVerifyWorker = { backend: VerifierBackend } | { batchId: number; results: Uint8Array };
