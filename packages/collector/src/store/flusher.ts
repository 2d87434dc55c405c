import type { Database, Logger } from '@nostr-info/shared';
import type { Kysely } from 'kysely';
import type { Aggregator } from '../aggregate/aggregator.js';
import type { CollectorMetrics } from '../observe/metrics.js';
import { writeBuffer } from './flush.js';

export interface FlusherOptions {
  db: Kysely<Database>;
  aggregator: Aggregator;
  metrics: CollectorMetrics;
  logger: Logger;
  /** Called before each flush so open connections can add their elapsed health time. */
  beforeFlush?: () => void;
}

/**
 * Runs flushes one at a time. A failed flush puts its buffer back under anything counted since,
 * so the next attempt writes both; nothing is lost and nothing is written twice (one
 * transaction per flush).
 */
export class Flusher {
  private running: Promise<boolean> | undefined;
  failures = 0;
  lastSuccessAt = 0;

  constructor(private readonly o: FlusherOptions) {}

  /** True while a flush is running. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Flushes now (or joins the running flush). Resolves true on success. */
  flush(): Promise<boolean> {
    if (this.running) return this.running;
    this.running = this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<boolean> {
    this.o.beforeFlush?.();
    const buffer = this.o.aggregator.take();
    if (buffer.empty) return true;
    const started = performance.now();
    try {
      await writeBuffer(this.o.db, buffer);
      const seconds = (performance.now() - started) / 1000;
      this.o.metrics.flushes.inc({ result: 'success' });
      this.o.metrics.flushDuration.observe(seconds);
      this.lastSuccessAt = Date.now();
      this.o.metrics.lastFlushSuccess.set(this.lastSuccessAt / 1000);
      if (this.failures > 0) this.o.logger.info({ failures: this.failures }, 'flush recovered');
      this.failures = 0;
      return true;
    } catch (err) {
      this.o.aggregator.restore(buffer);
      this.failures += 1;
      this.o.metrics.flushes.inc({ result: 'failure' });
      this.o.metrics.dbErrors.inc({ service: 'collector', operation: 'flush' });
      // Log the first failure and then every tenth, not one line per retry during an outage.
      if (this.failures === 1 || this.failures % 10 === 0) {
        this.o.logger.error(
          { err, failures: this.failures, keys: this.o.aggregator.buffer.keys },
          'flush failed; kept for retry',
        );
      }
      return false;
    }
  }
}
