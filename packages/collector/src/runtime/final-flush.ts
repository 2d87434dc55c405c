import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@nostr-info/shared/log';
import type { Flusher } from '../store/flusher.js';

/** What the last flush needs: the flusher's two members, how to tell it is done, a logger. */
export interface FinalFlushOptions {
  flusher: Pick<Flusher, 'flush' | 'bufferedKeys'>;
  /** True when nothing was counted since the last flush took the buffer. */
  bufferEmpty: () => boolean;
  logger: Pick<Logger, 'error'>;
  /** How long failed flushes are retried before the counts are given up. */
  deadlineMs?: number;
  /** Wait after the first failure, doubled after each attempt up to `backoffMaxMs`. */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
}

/**
 * The flush at shutdown, repeated until everything is written: a database that is briefly down
 * (a failover, a restart) must not lose the last counts. Failed attempts are retried with
 * exponential backoff until the deadline; then the loss is logged and the replica may exit.
 */
export class FinalFlush {
  private readonly flusher: FinalFlushOptions['flusher'];
  private readonly bufferEmpty: () => boolean;
  private readonly logger: Pick<Logger, 'error'>;
  private readonly deadlineMs: number;
  private readonly backoffInitialMs: number;
  private readonly backoffMaxMs: number;

  constructor({
    flusher,
    bufferEmpty,
    logger,
    deadlineMs = 60_000,
    backoffInitialMs = 250,
    backoffMaxMs = 5000,
  }: FinalFlushOptions) {
    this.flusher = flusher;
    this.bufferEmpty = bufferEmpty;
    this.logger = logger;
    this.deadlineMs = deadlineMs;
    this.backoffInitialMs = backoffInitialMs;
    this.backoffMaxMs = backoffMaxMs;
  }

  /** Flushes until the buffer is written and empty (true) or the deadline has passed (false). */
  async run(): Promise<boolean> {
    const deadline = Date.now() + this.deadlineMs;
    for (let attempt = 0; ; attempt++) {
      if (await this.flusher.flush()) {
        // Counts that landed meanwhile (late answers, a flush put back) go in the next round.
        if (this.bufferEmpty()) return true;
        continue;
      }
      if (Date.now() > deadline) {
        this.logger.error({ keys: this.flusher.bufferedKeys }, 'final flush failed; counts lost');
        return false;
      }
      await sleep(Math.min(this.backoffMaxMs, this.backoffInitialMs * 2 ** attempt));
    }
  }
}
