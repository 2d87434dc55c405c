export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** Source of randomness in [0, 1); replaceable so tests are deterministic. */
  random?: () => number;
}

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of
 * min(max, initial * factor^n). Jitter spreads reconnects of many relays after a network blip;
 * the floor keeps a dead relay from being dialled in a tight loop.
 */
export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly random: () => number;

  constructor({
    initialMs = 1000,
    maxMs = 30 * 60_000,
    factor = 2,
    random = Math.random,
  }: BackoffOptions = {}) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.factor = factor;
    this.random = random;
  }

  /** Attempts since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** Delay before the next attempt, its ceiling kept at `capMs` if given; advances the attempt counter. */
  next(capMs = Number.POSITIVE_INFINITY): number {
    const grown = this.initialMs * this.factor ** Math.min(this.attempt, 64);
    const ceiling = Math.min(this.maxMs, grown, capMs);
    this.attempt += 1;
    const half = ceiling / 2;
    return Math.round(half + this.random() * half);
  }

  /** Called once a connection has proved healthy. */
  reset(): void {
    this.attempt = 0;
  }
}
