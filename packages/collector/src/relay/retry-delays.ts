import { Backoff } from './backoff.js';
import { redialCapMs } from './redial-cap.js';

/** A subscription answered this long before it fails counts as recovered: the backoff starts over. */
const STABLE_MS = 60_000;

/**
 * The waits before redialling a failed socket and before asking again for a subscription the
 * relay CLOSED. Both start over only once the relay has stayed answered (EOSE, no failure since)
 * for a while, or a relay that answers and then drops would be redialled (and replayed) every
 * second. Redials of a relay that served on this connection are also kept under `redialCapMs` of
 * the time since it stopped serving, so the end of a short outage is seen within seconds; a
 * relay never seen serving follows the plain backoff.
 */
export class RetryDelays {
  private readonly socket: Backoff;
  private readonly subscription = new Backoff({ initialMs: 2000, maxMs: 10 * 60_000 });
  private readonly maxMs: number;
  private readonly fastMs: number | undefined;
  /** When the relay last answered the subscription (EOSE) with no failure since (ms; 0 = not). */
  private answeredAt = 0;
  /** When the relay last stopped serving (ms; undefined: it has not served on this connection). */
  private downSince: number | undefined;

  constructor({
    initialMs,
    maxMs,
    fastMs,
    random,
  }: {
    initialMs: number;
    maxMs: number;
    /** The longest redial wait in the first minutes of an outage (see `redialCapMs`). */
    fastMs?: number;
    random?: () => number;
  }) {
    this.socket = new Backoff({ initialMs, maxMs, ...(random ? { random } : {}) });
    this.maxMs = maxMs;
    this.fastMs = fastMs;
  }

  /** The relay answered the subscription (EOSE): healthy from here. */
  answered(now = Date.now()): void {
    this.answeredAt = now;
  }

  /** Milliseconds to wait before redialling a socket that failed or closed. */
  afterSocketFailure(now = Date.now()): number {
    if (this.stableFor(now) >= STABLE_MS) {
      this.socket.reset();
      this.subscription.reset();
    }
    if (this.answeredAt > 0) this.downSince = now;
    this.answeredAt = 0;
    if (this.downSince === undefined) return this.socket.next();
    return this.socket.next(redialCapMs(now - this.downSince, this.maxMs, this.fastMs));
  }

  /** Milliseconds to wait before asking again for a subscription the relay CLOSED. */
  afterClosed(now = Date.now()): number {
    if (this.stableFor(now) >= STABLE_MS) this.subscription.reset();
    this.answeredAt = 0;
    return this.subscription.next();
  }

  /** How long the subscription has been answered without a failure since; 0 if it is not. */
  private stableFor(now: number): number {
    return this.answeredAt > 0 ? now - this.answeredAt : 0;
  }
}
