import type { Logger } from '@nostr-info/shared/log';

/**
 * Copies awaiting a signature or dedup answer before reading pauses (it resumes at half). It
 * bounds memory when verification or Redis lag, and is still enough work to keep the verifier
 * busy while the sockets are paused; a larger bound costs memory without adding throughput.
 */
export const DEFAULT_MAX_IN_FLIGHT = 1_000;

/** Share of BUFFER_MAX_KEYS below which a paused collector may read again. */
const BUFFER_RESUME_SHARE = 0.8;

/** Sockets that can stop reading and start again (the `ConnectionSet`). */
export interface PausableSockets {
  pauseAll(): void;
  resumeAll(): void;
}

/** Where back-pressure looks and what it holds back. */
export interface BackPressureOptions {
  sockets: PausableSockets;
  /** Copies awaiting a signature or dedup answer (the pipeline). */
  backlog: { readonly inFlight: number };
  /** Keyed counters in memory, flushed or not (the flusher). */
  buffer: { readonly bufferedKeys: number };
  /** Backlog at which reading pauses. */
  maxInFlightCopies: number;
  /** Counter keys at which reading pauses (BUFFER_MAX_KEYS). */
  bufferMaxKeys: number;
  logger: Pick<Logger, 'warn' | 'debug'>;
}

/**
 * Holds reading back while verification or dedup answers lag (the backlog) or flushes fail (the
 * counter buffer), so memory stays bounded; TCP flow control then slows the relays down.
 * Hysteresis: reading resumes once the backlog is half the bound (verification keeps working
 * through the other half meanwhile) and the counter buffer is below 80 % of its bound.
 */
export class BackPressure {
  private isPaused = false;

  constructor(private readonly options: BackPressureOptions) {}

  /** True while reading is held back. */
  get paused(): boolean {
    return this.isPaused;
  }

  /**
   * True while reading is held back and the counter buffer keeps it so: only a flush makes room.
   * A pause on the verification backlog alone is not one (a flush would not shorten it).
   */
  get waitsForFlush(): boolean {
    return (
      this.isPaused && this.options.buffer.bufferedKeys >= this.options.bufferMaxKeys * BUFFER_RESUME_SHARE
    );
  }

  /**
   * After every EVENT frame. Checked per frame, not per tick: when verification falls behind,
   * the backlog grows by thousands of events between two ticks.
   */
  afterFrame(): void {
    if (this.options.backlog.inFlight >= this.options.maxInFlightCopies && !this.isPaused) this.pause();
  }

  /** The periodic check: pauses on a full buffer or backlog, else resumes when there is room. */
  check(): void {
    const { backlog, buffer, bufferMaxKeys, maxInFlightCopies, logger } = this.options;
    const keys = buffer.bufferedKeys;
    const full = keys >= bufferMaxKeys || backlog.inFlight >= maxInFlightCopies;
    if (full && !this.isPaused) {
      // A full counter buffer means flushes fail or lag (worth a warning); a verification
      // backlog is routine back-pressure under load.
      if (keys >= bufferMaxKeys) logger.warn({ keys }, 'buffer full: pausing relay sockets');
      this.pause();
    } else this.relieve();
  }

  /**
   * Resumes reading if there is room again. Called as answers settle, not only per tick: a tick
   * is long enough for the workers to run dry.
   */
  relieve(): void {
    const { backlog, buffer, bufferMaxKeys, maxInFlightCopies, logger, sockets } = this.options;
    if (!this.isPaused || backlog.inFlight >= maxInFlightCopies / 2) return;
    if (buffer.bufferedKeys >= bufferMaxKeys * BUFFER_RESUME_SHARE) return;
    this.isPaused = false;
    logger.debug({ inFlight: backlog.inFlight }, 'backlog drained: resuming relay sockets');
    sockets.resumeAll();
  }

  private pause(): void {
    this.isPaused = true;
    this.options.sockets.pauseAll();
  }
}
