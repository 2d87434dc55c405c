import type { LightningEntry } from '../extract/zap-profile.js';

/** Options of `ProfileWaits`. */
export interface ProfileWaitsOptions {
  /** The stored profiles of some pubkeys (one batched query). */
  fetch: (pubkeys: readonly string[]) => Promise<Map<string, LightningEntry>>;
  /** How long a receipt waits for its recipient's profile. */
  waitMs: number;
  /** How often the store is asked again meanwhile. */
  recheckMs: number;
  onError: (err: unknown) => void;
}

interface Waiting {
  resolvers: ((entry: LightningEntry | undefined) => void)[];
  deadline: number;
}

/**
 * Receipts waiting for their recipient's profile: a profile arriving on this replica answers
 * them at once; one stored by another replica is found by asking the store (batched, at once and
 * then every `recheckMs`); after `waitMs` the answer is "none".
 */
export class ProfileWaits {
  private readonly waiting = new Map<string, Waiting>();
  private readonly opts: ProfileWaitsOptions;
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  /** Set by `settleNow`: the latest any wait may end (the stop's grace). */
  private settleBy = Number.POSITIVE_INFINITY;
  private closed = false;

  constructor(options: ProfileWaitsOptions) {
    this.opts = options;
  }

  /** The profile of `pubkey` once known, or undefined when none turned up in time. */
  wait(pubkey: string): Promise<LightningEntry | undefined> {
    return new Promise((resolve) => {
      const current = this.waiting.get(pubkey);
      if (current) current.resolvers.push(resolve);
      else {
        const deadline = Math.min(Date.now() + this.opts.waitMs, this.settleBy);
        this.waiting.set(pubkey, { resolvers: [resolve], deadline });
      }
      this.schedule(0);
    });
  }

  /** A profile seen here: answers whoever waits for it. */
  found(entry: LightningEntry): void {
    const waiting = this.waiting.get(entry.pubkey);
    if (!waiting) return;
    this.waiting.delete(entry.pubkey);
    for (const resolve of waiting.resolvers) resolve(entry);
  }

  /**
   * The stop: every wait, now or to come, ends within `graceMs` — long enough for the other
   * replicas' last flushes to store the profiles they saw — and the store is asked at once.
   */
  settleNow(graceMs = 0): void {
    this.settleBy = Math.min(this.settleBy, Date.now() + graceMs);
    for (const waiting of this.waiting.values()) waiting.deadline = Math.min(waiting.deadline, this.settleBy);
    if (this.waiting.size > 0) this.schedule(0);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const [pubkey, waiting] of this.waiting) {
      this.waiting.delete(pubkey);
      for (const resolve of waiting.resolvers) resolve(undefined);
    }
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer && delayMs > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // One query at a time; the one under way schedules the next when it ends.
      if (this.checking) return;
      this.checking = true;
      void this.check().finally(() => {
        this.checking = false;
        if (this.waiting.size > 0) this.schedule(this.opts.recheckMs);
      });
    }, delayMs);
  }

  private async check(): Promise<void> {
    const asked = [...this.waiting.keys()];
    if (asked.length === 0) return;
    let found = new Map<string, LightningEntry>();
    try {
      found = await this.opts.fetch(asked);
    } catch (err) {
      this.opts.onError(err);
    }
    const now = Date.now();
    for (const pubkey of asked) {
      const waiting = this.waiting.get(pubkey);
      if (!waiting) continue;
      const entry = found.get(pubkey);
      if (!entry && now < waiting.deadline) continue;
      this.waiting.delete(pubkey);
      for (const resolve of waiting.resolvers) resolve(entry);
    }
  }
}
