import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { loadVerifier, type VerifierBackend, type VerifierPreference } from './schnorr.js';
import { startWorker } from './start-worker.js';
import { ITEM_BYTES, packItem, verifyBatch } from './verify-batch.js';
import type { FromVerifyWorker, ToVerifyWorker, VerifyWorkerData } from './worker-messages.js';

/** One signature to check (hex strings as on the wire, already shape-checked). */
export interface VerifyItem {
  id: string;
  pubkey: string;
  sig: string;
}

export interface VerifyPoolOptions {
  /** Worker threads; 0 = one per core. */
  workers?: number;
  /** Items sent to a worker in one message (amortises the message cost). */
  batchSize?: number;
  /** Called with the seconds one batch took, for the verification histogram. */
  onBatch?: (seconds: number, items: number) => void;
  /** `wasm` forces the WASM verifier (benchmarks compare both); default: the fastest available. */
  prefer?: VerifierPreference;
  /** First delay before a dead worker is replaced (doubling up to 5 s while they keep dying). */
  respawnMs?: number;
}

interface Pending {
  items: VerifyItem[];
  resolvers: ((ok: boolean) => void)[];
}

interface Job {
  /** Kept so the batch can be verified again if its worker dies before answering. */
  packed: Buffer;
  resolvers: ((ok: boolean) => void)[];
  started: number;
}

interface Slot {
  worker: Worker;
  /** The worker exited or crashed; nothing is sent to it, a replacement is due (unless closed). */
  exited: boolean;
  /** The current worker has loaded its verifier (see `ready`). */
  started: boolean;
  /** Some worker of this slot has reported its verifier: `workerBackends` holds one per slot. */
  reported: boolean;
  spawnedAt: number;
  /** Delay before the next replacement: doubles while workers keep dying young. */
  respawnMs: number;
  respawnTimer?: NodeJS.Timeout;
  inFlight: Map<number, Job>;
}

/** Replacement delay cap: a worker that always crashes costs one start per few seconds. */
const RESPAWN_MAX_MS = 5000;
/** A worker that lived this long died of something passing: its replacement starts at the minimum delay. */
const RESPAWN_RESET_MS = 30_000;

/**
 * Worker threads when not configured. A native worker verifies faster than one socket thread
 * feeds it unique events: one per two cores (at most four) leaves the rest to the socket thread
 * and the garbage collector. The slower WASM fallback gets every core. Figures: docs/benchmarks.md.
 */
export function autoWorkers(backend: VerifierBackend, cores: number): number {
  return backend === 'libsecp256k1-native'
    ? Math.max(1, Math.min(4, Math.floor(cores / 2)))
    : Math.max(1, cores);
}

/**
 * Asks a worker to exit once it is between messages (after loading the verifier and finishing
 * its batch); `terminate()` only if it has not exited after `graceMs`.
 */
function exitWorker(worker: Worker, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    if (worker.threadId < 0) {
      resolve();
      return;
    }
    const timer = setTimeout(() => void worker.terminate(), graceMs);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    const request: ToVerifyWorker = { exit: true };
    worker.postMessage(request);
  });
}

/**
 * Signature verification on worker threads: items are queued, packed into binary batches and
 * sent to the least-loaded worker, so the socket thread never blocks on elliptic-curve math.
 * A worker that exits or crashes is replaced (with backoff); its unanswered batches are verified
 * again, and while no worker is running batches are verified on the calling thread.
 */
export class VerifyPool {
  private readonly slots: Slot[] = [];
  private pending: Pending = { items: [], resolvers: [] };
  private scheduled = false;
  private nextBatchId = 1;
  private readonly batchSize: number;
  private readonly onBatch: ((seconds: number, items: number) => void) | undefined;
  private closed = false;
  /** Callers of `ready()` waiting for every worker to start or exit. */
  private readonly startedWaiters: (() => void)[] = [];
  /** Signatures checked since start. */
  verified = 0;
  /** Batches sent to workers since start. */
  batches = 0;
  /** Workers started to replace ones that exited or crashed. */
  respawns = 0;

  /** Verifier each worker reported when it started (the same as `backend`); replacements are not added. */
  readonly workerBackends: VerifierBackend[] = [];
  /** The verifier in use (the workers load the same one). */
  readonly backend: VerifierBackend;
  private readonly prefer: VerifierPreference;

  private readonly respawnMinMs: number;

  constructor({
    workers = 0,
    batchSize = 64,
    onBatch,
    prefer = 'auto',
    respawnMs = 100,
  }: VerifyPoolOptions = {}) {
    this.respawnMinMs = respawnMs;
    this.batchSize = batchSize;
    this.onBatch = onBatch;
    this.prefer = prefer;
    this.backend = loadVerifier(prefer).name;
    const count = workers > 0 ? workers : autoWorkers(this.backend, availableParallelism());
    for (let i = 0; i < count; i++) {
      const slot: Slot = {
        worker: this.newWorker(),
        exited: false,
        started: false,
        reported: false,
        spawnedAt: performance.now(),
        respawnMs: this.respawnMinMs,
        inFlight: new Map(),
      };
      this.watch(slot);
      this.slots.push(slot);
    }
  }

  private newWorker(): Worker {
    const workerData: VerifyWorkerData = { prefer: this.prefer };
    return startWorker(new URL('./verify-worker.js', import.meta.url), {
      workerData,
      // A verify worker holds one batch at a time: a small heap keeps each thread's memory small.
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 },
    });
  }

  private watch(slot: Slot): void {
    const worker = slot.worker;
    worker.on('message', (msg: FromVerifyWorker) => {
      if (slot.worker !== worker) return;
      if ('backend' in msg) {
        // Held referenced until started (see `ready`), then never keeping the process alive.
        worker.unref();
        slot.started = true;
        if (!slot.reported) {
          slot.reported = true;
          this.workerBackends.push(msg.backend);
        }
        this.settleStarted();
        return;
      }
      const job = slot.inFlight.get(msg.batchId);
      if (!job) return;
      slot.inFlight.delete(msg.batchId);
      this.settle(job, msg.results);
    });
    // 'error' (uncaught exception, out of memory) is followed by 'exit'; whichever comes first retires it.
    worker.once('exit', () => this.retire(slot, worker));
    worker.on('error', () => this.retire(slot, worker));
  }

  /**
   * Takes a dead worker out of rotation. Its unanswered batches are verified again rather than
   * failed: a crash must never turn a valid event into an invalid one.
   */
  private retire(slot: Slot, worker: Worker): void {
    if (slot.worker !== worker || slot.exited) return;
    slot.exited = true;
    const lost = [...slot.inFlight.values()];
    slot.inFlight.clear();
    if (!this.closed) this.scheduleRespawn(slot);
    for (const job of lost) this.send(job.packed, job.resolvers);
    this.settleStarted();
  }

  private scheduleRespawn(slot: Slot): void {
    if (performance.now() - slot.spawnedAt > RESPAWN_RESET_MS) slot.respawnMs = this.respawnMinMs;
    const delay = slot.respawnMs;
    slot.respawnMs = Math.min(RESPAWN_MAX_MS, delay * 2);
    slot.respawnTimer = setTimeout(() => {
      slot.respawnTimer = undefined;
      if (this.closed) return;
      slot.spawnedAt = performance.now();
      try {
        slot.worker = this.newWorker();
      } catch {
        // No thread could be started (e.g. out of memory): try again later, verifying inline meanwhile.
        this.scheduleRespawn(slot);
        return;
      }
      slot.exited = false;
      slot.started = false;
      this.respawns += 1;
      this.watch(slot);
    }, delay);
    // A pending replacement must not keep the process alive.
    slot.respawnTimer.unref();
  }

  private settleStarted(): void {
    if (!this.slots.every((s) => s.started || s.exited)) return;
    for (const resolve of this.startedWaiters.splice(0)) resolve();
  }

  /**
   * Resolves once every worker has loaded its verifier (and the native addon has created its
   * context) or exited. Until then a process exit can abort inside the addon, so services wait
   * for this before anything else can end the process.
   */
  ready(): Promise<void> {
    return new Promise((resolve) => {
      this.startedWaiters.push(resolve);
      this.settleStarted();
    });
  }

  /** Number of worker threads running (fewer while a dead one awaits its replacement; 0 once closed). */
  get size(): number {
    return this.slots.filter((s) => !s.exited).length;
  }

  /** @internal for tests: the current worker thread of each slot (tests make one exit or crash). */
  get threads(): Worker[] {
    return this.slots.map((s) => s.worker);
  }

  /** Batches sent and not yet answered. */
  get inFlight(): number {
    let n = 0;
    for (const slot of this.slots) n += slot.inFlight.size;
    return n;
  }

  /** Resolves true when the signature is valid. */
  verify(item: VerifyItem): Promise<boolean> {
    if (this.closed) return Promise.resolve(verifyBatch(this.pack([item]), 1, this.prefer)[0] === 1);
    return new Promise((resolve) => {
      this.pending.items.push(item);
      this.pending.resolvers.push(resolve);
      if (this.pending.items.length >= this.batchSize) this.dispatch();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.dispatch();
        });
      }
    });
  }

  private pack(items: VerifyItem[]): Buffer {
    const packed = Buffer.allocUnsafe(items.length * ITEM_BYTES);
    for (const [i, item] of items.entries()) packItem(packed, i, item.id, item.pubkey, item.sig);
    return packed;
  }

  private dispatch(): void {
    const { items, resolvers } = this.pending;
    if (items.length === 0) return;
    this.pending = { items: [], resolvers: [] };
    this.send(this.pack(items), resolvers);
  }

  /** Sends a batch to the least-loaded running worker, or verifies it here when none is running. */
  private send(packed: Buffer, resolvers: ((ok: boolean) => void)[]): void {
    let slot: Slot | undefined;
    if (!this.closed) {
      for (const s of this.slots) if (!s.exited && (!slot || s.inFlight.size < slot.inFlight.size)) slot = s;
    }
    const started = performance.now();
    if (!slot) {
      this.settle({ packed, resolvers, started }, verifyBatch(packed, resolvers.length, this.prefer));
      return;
    }
    // Copy into a fresh ArrayBuffer: allocUnsafe may share the pooled slab, which cannot be transferred.
    const buffer = new Uint8Array(packed).buffer;
    const batchId = this.nextBatchId++;
    this.batches += 1;
    slot.inFlight.set(batchId, { packed, resolvers, started });
    const request: ToVerifyWorker = { batchId, packed: buffer, count: resolvers.length };
    slot.worker.postMessage(request, [buffer]);
  }

  private settle(job: Job, results: Uint8Array): void {
    this.verified += job.resolvers.length;
    this.onBatch?.((performance.now() - job.started) / 1000, job.resolvers.length);
    for (const [i, resolve] of job.resolvers.entries()) resolve(results[i] === 1);
  }

  /** Stops the workers; verification after close runs inline. */
  async close(): Promise<void> {
    this.dispatch();
    // Let in-flight batches finish so no copy is dropped unanswered.
    const deadline = Date.now() + 5000;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    this.closed = true;
    for (const slot of this.slots) clearTimeout(slot.respawnTimer);
    await Promise.all(this.slots.map((s) => exitWorker(s.worker)));
  }
}
