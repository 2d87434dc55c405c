// Entry module of a verify worker thread (started by `VerifyPool`): loads the verifier, reports
// it, then answers packed batches with `verifyBatch`, the loop the pool also runs inline.
import { parentPort, workerData } from 'node:worker_threads';
import { loadVerifier } from './schnorr.js';
import { verifyBatch } from './verify-batch.js';
import type { FromVerifyWorker, ToVerifyWorker, VerifyWorkerData } from './worker-messages.js';

const port = parentPort;
if (!port) throw new Error('verify-worker runs in a worker thread');
const { prefer } = workerData as VerifyWorkerData;

const post = (msg: FromVerifyWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

post({ backend: loadVerifier(prefer).name });
port.on('message', (msg: ToVerifyWorker) => {
  // Exiting between messages is the only safe way out: a thread torn down while it is inside the
  // native addon (loading it, or verifying) makes the addon abort the whole process.
  if (msg.exit) process.exit(0);
  // A batch without its bytes throws here, uncaught: the worker dies and the pool replaces it.
  const results = verifyBatch(new Uint8Array(msg.packed), msg.count, prefer);
  post({ batchId: msg.batchId, results }, [results.buffer]);
});
