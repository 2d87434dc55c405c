import type { OutageCause } from './outage-cause.js';

/** A confirmed outage as stored: `endedAt` null while it lasts. */
export interface OutageWrite extends OutageCause {
  startedAt: number;
  endedAt: number | null;
}

/** How an outage changed with a write. */
export type OutageChange = 'confirmed' | 'ended' | 'reopened' | 'cause';

/** Where a tracker sends what it learns (the counter buffer and metrics, see `RelayHealth`). */
export interface OutageSink {
  /** The new state of a confirmed outage (the latest write of one `startedAt` wins). */
  write(outage: OutageWrite, change: OutageChange): void;
  /**
   * The relay served for the first time since this tracker began: an outage left ongoing by an
   * earlier holder (another replica, or this one before a restart) ended by then.
   */
  servedAfterBegin(at: number): void;
}

/** Tunables of `OutageTracker`. */
export interface OutageTrackerOptions {
  /** Not serving this long (from when it stopped, short returns included) confirms an outage. */
  graceMs?: number;
  /** A return to serving shorter than this before failing again continues the same outage. */
  mergeMs?: number;
}

/** Not serving for 30 s confirms an outage (a reconnect takes a few seconds; a restart, more). */
export const OUTAGE_GRACE_MS = 30_000;
/** Serving again for less than 30 s before failing again is flapping: the same outage. */
export const OUTAGE_MERGE_MS = 30_000;

interface Candidate extends OutageCause {
  startedAt: number;
  /** When the relay served again (undefined while it does not). */
  endedAt: number | undefined;
  confirmed: boolean;
  /** False for the wait from when watching began until the first answer, while nothing failed. */
  failed: boolean;
}

/**
 * One relay's outages, from the moments it stops and starts serving. An outage starts when the
 * relay stops serving (or when watching began, if it never served since) and is confirmed once
 * it has lasted `graceMs`; returns to serving shorter than `mergeMs` do not end it (flapping is
 * one outage). The wait for the first answer after watching began is no failure: answered within
 * the grace, it is forgotten. Only confirmed outages are written; one that ends is written at once with its end,
 * and written again as ongoing if the relay fails within `mergeMs`. The cause is that of the
 * latest failure seen during the outage: what kept the relay away.
 */
export class OutageTracker {
  private current: Candidate | undefined;
  private servedSinceBegin = false;
  private readonly graceMs: number;
  private readonly mergeMs: number;

  constructor(
    private readonly sink: OutageSink,
    { graceMs = OUTAGE_GRACE_MS, mergeMs = OUTAGE_MERGE_MS }: OutageTrackerOptions = {},
  ) {
    this.graceMs = graceMs;
    this.mergeMs = mergeMs;
  }

  /** True while a confirmed outage lasts. */
  get ongoing(): boolean {
    return this.current?.confirmed === true && this.current.endedAt === undefined;
  }

  /** Watching begins (or begins again after a release): not serving yet, for no known cause. */
  begin(now: number): void {
    this.current = {
      startedAt: now,
      endedAt: undefined,
      confirmed: false,
      failed: false,
      cause: 'other',
      detail: null,
    };
    this.servedSinceBegin = false;
  }

  /** Watching ends: what is ongoing stays so in the store, for the next holder to continue. */
  release(): void {
    this.current = undefined;
  }

  /** The relay stopped serving, or failed again while not serving, for `cause`. */
  stopped(now: number, cause: OutageCause): void {
    const c = this.current;
    if (c && c.endedAt === undefined) {
      c.failed = true;
      c.cause = cause.cause;
      c.detail = cause.detail;
      if (c.confirmed) this.sink.write(this.row(c), 'cause');
    } else if (c && c.endedAt !== undefined && now - c.endedAt < this.mergeMs) {
      c.endedAt = undefined;
      c.cause = cause.cause;
      c.detail = cause.detail;
      if (c.confirmed) this.sink.write(this.row(c), 'reopened');
    } else {
      this.current = { startedAt: now, endedAt: undefined, confirmed: false, failed: true, ...cause };
    }
    this.check(now);
  }

  /** The relay serves (again). */
  served(now: number): void {
    if (!this.servedSinceBegin) {
      this.servedSinceBegin = true;
      this.sink.servedAfterBegin(now);
    }
    const c = this.current;
    if (!c || c.endedAt !== undefined) return;
    // The first connect after watching began, answered within the grace: no outage to continue.
    if (!c.failed && !c.confirmed && now - c.startedAt < this.graceMs) {
      this.current = undefined;
      return;
    }
    c.endedAt = now;
    if (!c.confirmed && now - c.startedAt >= this.graceMs) {
      c.confirmed = true;
      this.sink.write(this.row(c), 'confirmed');
    } else if (c.confirmed) this.sink.write(this.row(c), 'ended');
  }

  /** Confirms an outage whose grace ran out, and forgets one ended for longer than `mergeMs`. */
  check(now: number): void {
    const c = this.current;
    if (!c) return;
    if (c.endedAt === undefined) {
      if (!c.confirmed && now - c.startedAt >= this.graceMs) {
        c.confirmed = true;
        this.sink.write(this.row(c), 'confirmed');
      }
    } else if (now - c.endedAt >= this.mergeMs) this.current = undefined;
  }

  private row(c: Candidate): OutageWrite {
    return { startedAt: c.startedAt, endedAt: c.endedAt ?? null, cause: c.cause, detail: c.detail };
  }
}
