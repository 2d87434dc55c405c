import type { Flusher } from '../store/flusher.js';

/** When counters are flushed and the held relays report goes out on its own. */
export interface FlushScheduleOptions {
  flusher: Pick<Flusher, 'busy' | 'heldDue' | 'heldWaitMs' | 'flush' | 'reportHeld'>;
  /** Network-unique events in the live counter buffer. */
  bufferedEvents: () => number;
  /** True while reading waits for room in the counter buffer: a flush then starts at once. */
  waitsForFlush: () => boolean;
  /** FLUSH_INTERVAL_MS: the longest counters wait in memory. */
  flushIntervalMs: number;
  /** FLUSH_MAX_EVENTS: events that make a flush due before the interval is over. */
  flushMaxEvents: number;
}

/**
 * Decides at every housekeeping tick whether a flush is due: every `flushIntervalMs`, when the
 * buffer holds `flushMaxEvents`, or at once while reading waits for room in the counter buffer.
 * Flushes never overlap.
 */
export class FlushSchedule {
  private lastFlushAt = Date.now();

  constructor(private readonly options: FlushScheduleOptions) {}

  /** Starts a flush, or a held relays report alone, if one is due (neither is awaited). */
  tick(): void {
    const { flusher, flushIntervalMs } = this.options;
    const due =
      this.options.bufferedEvents() >= this.options.flushMaxEvents ||
      Date.now() - this.lastFlushAt >= flushIntervalMs ||
      this.options.waitsForFlush();
    if (due && !flusher.busy) {
      this.lastFlushAt = Date.now();
      void flusher.flush();
    } else if (
      flusher.heldDue &&
      !flusher.busy &&
      this.lastFlushAt + flushIntervalMs - Date.now() > flusher.heldWaitMs
    ) {
      // Written on its own only when no counter flush comes soon to carry it.
      void flusher.reportHeld();
    }
  }
}
