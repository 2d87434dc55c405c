/** Options of `StreamPacer`. */
export interface StreamPacerOptions {
  /** Events per second; 0 never hands out any. */
  ratePerSecond: number;
  tickMs: number;
  /** Called on a tick with the whole number of events due since the previous one (at least 1). */
  onDue: (count: number) => void;
  /** Clock in milliseconds (default `performance.now`). */
  now?: () => number;
}

/**
 * Turns a rate into events due per timer tick, carrying fractions over to the next tick. Nothing
 * is due for time spent paused, and never more than a second's worth at once: after a stall of
 * the event loop the stream resumes at its rate instead of bursting.
 */
export class StreamPacer {
  private readonly rate: number;
  private readonly tickMs: number;
  private readonly onDue: (count: number) => void;
  private readonly now: () => number;
  private owed = 0;
  private last: number;
  private timer: NodeJS.Timeout | undefined;
  private isPaused = false;

  constructor({ ratePerSecond, tickMs, onDue, now = () => performance.now() }: StreamPacerOptions) {
    this.rate = ratePerSecond;
    this.tickMs = tickMs;
    this.onDue = onDue;
    this.now = now;
    this.last = now();
  }

  get paused(): boolean {
    return this.isPaused;
  }

  setPaused(paused: boolean): void {
    this.isPaused = paused;
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.tickMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One timer tick: hands out the events due since the previous tick. */
  tick(): void {
    const now = this.now();
    if (this.isPaused) {
      this.last = now;
      return;
    }
    this.owed += ((now - this.last) / 1000) * this.rate;
    this.last = now;
    this.owed = Math.min(this.owed, Math.max(this.rate, 1));
    if (this.owed < 1) return;
    const due = Math.floor(this.owed);
    this.owed -= due;
    this.onDue(due);
  }
}
