import { Backoff } from './backoff.js';

/** A subscription answered this long before it fails counts as recovered: the backoff starts over. */
const STABLE_MS = 60_000;

/**
 * The waits before redialling a failed socket and before asking again for a subscription the
 * relay CLOSED. Both start over only once the relay has stayed answered (EOSE, no failure since)
 * for a while, or a relay that answers and then drops would be redialled (and replayed) every
 * second.
 */
export class RetryDelays {
  private readonly socket: Backoff;
  private readonly subscription = new Backoff({ initialMs: 2000, maxMs: 10 * 60_000 });
  /** When the relay last answered the subscription (EOSE) with no failure since (ms; 0 = not). */
  private answeredAt = 0;

  constructor({ initialMs, maxMs }: { initialMs: number; maxMs: number }) {
    this.socket = new Backoff({ initialMs, maxMs });
  }

  /** The relay answered the subscription (EOSE): healthy from here. */
  answered(now = Date.now()): void {
    this.answeredAt = now;
  }

  /** Milliseconds to wait before redialling a socket that failed or closed. */
  afterSocketFailure(): number {
    if (this.stableFor() >= STABLE_MS) {
      this.socket.reset();
      this.subscription.reset();
    }
    this.answeredAt = 0;
    return this.socket.next();
  }

  /** Milliseconds to wait before asking again for a subscription the relay CLOSED. */
  afterClosed(): number {
    if (this.stableFor() >= STABLE_MS) this.subscription.reset();
    this.answeredAt = 0;
    return this.subscription.next();
  }

  /** How long the subscription has been answered without a failure since; 0 if it is not. */
  private stableFor(now = Date.now()): number {
    return this.answeredAt > 0 ? now - this.answeredAt : 0;
  }
}
