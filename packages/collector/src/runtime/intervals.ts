/**
 * The collector's periodic timers, stopped together. Unreferenced: a timer is never what keeps
 * the process alive (the sockets and servers are).
 */
export class Intervals {
  private readonly timers: NodeJS.Timeout[] = [];

  /** Calls `fn` every `intervalMs` until `stop`. */
  every(intervalMs: number, fn: () => void): void {
    const timer = setInterval(fn, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }

  /** Stops every timer. */
  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
  }
}
