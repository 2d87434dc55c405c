import { randomUUID } from 'node:crypto';
import type { Database } from '@nostr-info/shared/db';
import type { Logger } from '@nostr-info/shared/log';
import { RELAY_HELD_REPORT_MS } from '@nostr-info/shared/relay';
import type { Kysely } from 'kysely';
import type { Aggregator } from '../aggregate/aggregator.js';
import { CounterBuffer, type HeldRelay } from '../aggregate/counter-buffer.js';
import type { CollectorMetrics } from '../observe/metrics.js';
import type { RecheckPacer } from '../zaps/recheck-pacer.js';
import { FlushError, flushLanded, writeBuffer } from './flush.js';
import { type DurableWrite, FencedError } from './flush-durable.js';

/** Where flushes write, what they take, and what rides with them. */
export interface FlusherOptions {
  db: Kysely<Database>;
  aggregator: Aggregator;
  metrics: CollectorMetrics;
  logger: Logger;
  /** Called before each flush so open connections can add their elapsed health time. */
  beforeFlush?: () => void;
  /** The relays this replica holds, reported with a flush every `heldReportMs`. */
  held?: () => HeldRelay[];
  /** How often the held relays are reported (default RELAY_HELD_REPORT_MS). */
  heldReportMs?: number;
  /** Called with each buffer once its flush committed (zap receipts to check again). */
  afterFlush?: (buffer: CounterBuffer) => void;
  /** Durable resume state committed with every counter flush (see `flushDurable`). */
  durable?: DurableWrite;
  /** Which recipients' unverified zap receipts a flush checks again (default: all it sees). */
  zapRechecks?: RecheckPacer;
  /** Called once when a flush is refused because this instance was fenced. */
  onFenced?: () => void;
}

/**
 * Runs flushes one at a time. A failed flush puts its buffer back under anything counted since,
 * so the next attempt writes both; nothing is lost and nothing is written twice (one
 * transaction per flush). A flush that failed at COMMIT may have landed: its buffer is held apart
 * until the ledger says whether it did, and only put back if it did not.
 */
export class Flusher {
  private running: Promise<boolean> | undefined;
  /** True while what runs is a held relays report on its own, not a flush. */
  private runningHeldOnly = false;
  /** A flush whose COMMIT answer was lost, waiting for the ledger's word. */
  private uncertain: { id: string; buffer: CounterBuffer } | undefined;
  /** Counter flushes failed in a row (0 after a success). */
  failures = 0;
  /** When a counter flush last succeeded (ms since the epoch; 0: never). */
  lastSuccessAt = 0;
  /** Counter flushes that succeeded, and the time they took in all (ms): for benchmarks. */
  succeeded = 0;
  succeededMs = 0;
  /** When a flush last carried the held relays report (a failed one is not retried before the next). */
  private heldReportedAt = 0;
  /** False after a failed counter flush, until one succeeds: reports are then written alone. */
  private heldRidesFlush = true;

  private readonly db: Kysely<Database>;
  private readonly aggregator: Aggregator;
  private readonly metrics: CollectorMetrics;
  private readonly logger: Logger;
  private readonly beforeFlush: (() => void) | undefined;
  private readonly held: (() => HeldRelay[]) | undefined;
  private readonly afterFlush: ((buffer: CounterBuffer) => void) | undefined;
  private readonly durable: DurableWrite | undefined;
  private readonly zapRechecks: RecheckPacer | undefined;
  private readonly onFenced: (() => void) | undefined;
  /** Set once a flush was refused as fenced: nothing is written from then on. */
  fenced = false;
  /** How often the held relays are reported. */
  private readonly heldReportMs: number;

  constructor({
    db,
    aggregator,
    metrics,
    logger,
    beforeFlush,
    held,
    heldReportMs = RELAY_HELD_REPORT_MS,
    afterFlush,
    durable,
    zapRechecks,
    onFenced,
  }: FlusherOptions) {
    this.db = db;
    this.aggregator = aggregator;
    this.metrics = metrics;
    this.logger = logger;
    this.beforeFlush = beforeFlush;
    this.held = held;
    this.heldReportMs = heldReportMs;
    this.afterFlush = afterFlush;
    this.durable = durable;
    this.zapRechecks = zapRechecks;
    this.onFenced = onFenced;
  }

  /** True while a flush is running. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /**
   * Flushes now, or joins the running flush. A held relays report running alone is waited for and
   * then the counters are flushed: its result says nothing about them. Resolves true on success.
   */
  flush(): Promise<boolean> {
    if (this.running) {
      return this.runningHeldOnly ? this.running.then(() => this.flush()) : this.running;
    }
    this.running = this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /**
   * Writes the held relays report alone, for when it is due and no counter flush is near (see
   * `heldWaitMs`): FLUSH_INTERVAL_MS keeps governing the counters. Joins a running flush instead.
   * Resolves true when written.
   */
  reportHeld(): Promise<boolean> {
    if (this.running) return this.running;
    this.runningHeldOnly = true;
    this.running = this.runHeld().finally(() => {
      this.running = undefined;
      this.runningHeldOnly = false;
    });
    return this.running;
  }

  /**
   * How long a due held relays report may wait for a counter flush to carry it (a quarter of the
   * report interval, 15 s by default) rather than be written on its own; not at all while counter
   * flushes fail (they may fail for their counters alone, and the report must not go with them).
   */
  get heldWaitMs(): number {
    return this.heldRidesFlush ? this.heldReportMs / 4 : 0;
  }

  private async runHeld(): Promise<boolean> {
    const buffer = new CounterBuffer();
    this.attachHeld(buffer);
    if (buffer.empty) return true;
    try {
      await writeBuffer(this.db, buffer);
      this.metrics.heldReports.inc({ write: 'alone', result: 'success' });
      return true;
    } catch (err) {
      this.metrics.heldReports.inc({ write: 'alone', result: 'failure' });
      this.metrics.dbErrors.inc({ service: 'collector', operation: 'report_held' });
      this.logger.warn({ err }, 'held relays report failed; the next one is due in a minute');
      return false;
    }
  }

  /** Puts the held relays report into `buffer` when it is due. */
  private attachHeld(buffer: CounterBuffer): void {
    if (!this.heldDue || !this.held) return;
    const held = this.held();
    if (held.length > 0) buffer.held = held;
    this.heldReportedAt = Date.now();
  }

  /**
   * True when the next flush is to report the held relays (about once a minute: readers show a
   * relay no replica reports as `unknown`), whatever FLUSH_INTERVAL_MS is.
   */
  get heldDue(): boolean {
    return this.held !== undefined && Date.now() - this.heldReportedAt >= this.heldReportMs;
  }

  /** Keys of a flush held apart while its outcome is unknown. */
  get heldKeys(): number {
    return this.uncertain?.buffer.keys ?? 0;
  }

  /** Keyed counters in memory: the aggregator's live buffer and any held flush (the buffer bound). */
  get bufferedKeys(): number {
    return this.aggregator.buffer.keys + this.heldKeys;
  }

  private async run(): Promise<boolean> {
    if (this.uncertain && !(await this.settleUncertain())) return false;
    this.beforeFlush?.();
    const buffer = this.aggregator.take();
    // A fenced instance's counts belong to whoever took its relays over: dropped, never merged
    // (nothing is left to retry, so the flush is done).
    if (this.fenced) return true;
    if (this.heldRidesFlush) this.attachHeld(buffer);
    if (buffer.empty) return true;
    const started = performance.now();
    const id = randomUUID();
    const withHeld = buffer.held !== undefined;
    try {
      await writeBuffer(this.db, buffer, id, this.durable, this.zapRechecks);
      const seconds = (performance.now() - started) / 1000;
      this.succeeded += 1;
      this.succeededMs += seconds * 1000;
      this.metrics.flushes.inc({ result: 'success' });
      for (const [reason, n] of buffer.zapVerdicts.written) this.metrics.zapsRejected.inc({ reason }, n);
      this.zapRechecks?.checked(buffer.zapVerdicts.recheckDue);
      this.afterFlush?.(buffer);
      if (withHeld) this.metrics.heldReports.inc({ write: 'with_flush', result: 'success' });
      this.heldRidesFlush = true;
      this.metrics.flushDuration.observe(seconds);
      this.lastSuccessAt = Date.now();
      this.metrics.lastFlushSuccess.set(this.lastSuccessAt / 1000);
      if (this.failures > 0) this.logger.info({ failures: this.failures }, 'flush recovered');
      this.failures = 0;
      return true;
    } catch (err) {
      if (withHeld) {
        this.metrics.heldReports.inc({ write: 'with_flush', result: 'failure' });
        // The report is due again at once, and goes alone until a counter flush succeeds.
        this.heldReportedAt = 0;
      }
      this.heldRidesFlush = false;
      if (err instanceof FlushError && err.cause instanceof FencedError) {
        this.fenced = true;
        this.logger.error(
          { keys: buffer.keys },
          'flush refused: this instance was fenced; its buffer is dropped',
        );
        this.onFenced?.();
        return true;
      }
      if (err instanceof FlushError && err.uncertain) this.uncertain = { id, buffer };
      else this.aggregator.restore(buffer);
      this.failed(err);
      return false;
    }
  }

  /** Asks the ledger whether the uncertain flush landed: dropped if it did, put back if not. */
  private async settleUncertain(): Promise<boolean> {
    const held = this.uncertain;
    if (!held) return true;
    let landed: boolean;
    try {
      landed = await flushLanded(this.db, held.id);
    } catch (err) {
      this.failed(err);
      return false;
    }
    this.uncertain = undefined;
    if (landed)
      this.logger.warn({ flush: held.id }, 'flush had landed although its commit failed: not written again');
    else this.aggregator.restore(held.buffer);
    return true;
  }

  private failed(err: unknown): void {
    this.failures += 1;
    this.metrics.flushes.inc({ result: 'failure' });
    this.metrics.dbErrors.inc({ service: 'collector', operation: 'flush' });
    // Log the first failure and then every tenth, not one line per retry during an outage.
    if (this.failures === 1 || this.failures % 10 === 0) {
      this.logger.error(
        { err, failures: this.failures, keys: this.bufferedKeys },
        'flush failed; kept for retry',
      );
    }
  }
}
