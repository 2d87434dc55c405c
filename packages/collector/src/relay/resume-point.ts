import type { ResumeMark } from '../aggregate/durable-ledger.js';
import { InvalidSeen } from '../dedup/invalid-seen.js';
import { RelaySeen, type RelaySeenOptions } from '../dedup/relay-seen.js';
import type { ResumeCheckpoint } from './connection-types.js';

/**
 * Where one relay's stream stands: the ids already credited, the bad copies already charged and
 * when the relay was last heard from. It gives each REQ its `since` (now for the first; later
 * ones look back behind the gap, and `RelaySeen` drops copies already credited) and is handed
 * between replicas as a checkpoint.
 */
export class ResumePoint {
  readonly seen: RelaySeen;
  /** Bad copies this relay was already charged for. */
  readonly invalidSeen = new InvalidSeen();
  private heardAt = 0;
  private subscribedBefore = false;

  /**
   * Oldest a resume may reach, in seconds behind now: the network-wide dedup forgets ids after
   * its TTL, so a replay reaching further back (after a gap of days) would count old events as
   * new again.
   */
  private readonly maxAgeSeconds: number;

  constructor({
    maxAgeSeconds = Number.POSITIVE_INFINITY,
    ...options
  }: RelaySeenOptions & { maxAgeSeconds?: number }) {
    this.seen = new RelaySeen(options);
    this.maxAgeSeconds = maxAgeSeconds;
  }

  /** When the relay last sent anything (ms). */
  get lastHeardAt(): number {
    return this.heardAt;
  }

  /** True once a subscription was sent (or taken over): later ones resume instead of "now". */
  get subscribedOnce(): boolean {
    return this.subscribedBefore;
  }

  /** The relay sent something at `atMs`. */
  heard(atMs: number): void {
    this.heardAt = atMs;
  }

  /** A subscription was sent: the next one resumes behind the gap. */
  subscribed(): void {
    this.subscribedBefore = true;
  }

  /** `since` of the next REQ; `capped` when the seen set could not cover the whole lookback. */
  nextSince(nowMs = Date.now()): { since: number; capped: boolean } {
    const nowSec = Math.floor(nowMs / 1000);
    if (!this.subscribedOnce) {
      this.seen.startAt(nowSec);
      return { since: nowSec, capped: false };
    }
    const resumed = this.seen.resumeSince(Math.floor(this.lastHeardAt / 1000) || nowSec);
    const oldest = nowSec - this.maxAgeSeconds;
    if (resumed.since >= oldest) return resumed;
    this.seen.startAt(oldest);
    return { since: oldest, capped: resumed.capped };
  }

  /**
   * The checkpoint for the replica that watches the relay next: the ids already credited and when
   * the relay was last heard, so it resumes with a lookback and no double count.
   */
  checkpoint(): ResumeCheckpoint | undefined {
    if (!this.subscribedOnce) return undefined;
    return {
      lastHeardSec: Math.floor(this.lastHeardAt / 1000),
      seen: this.seen.export(),
      invalid: this.invalidSeen.export(),
    };
  }

  /**
   * Where the stream stands for a durable resume (see `relay_resume`): when the relay was last
   * heard from, and the created_at above which every id it was credited with is recorded.
   */
  mark(): ResumeMark | undefined {
    if (!this.subscribedOnce) return undefined;
    return { heardSec: Math.floor(this.lastHeardAt / 1000), floorSec: this.seen.lowest };
  }

  /** Takes over another replica's checkpoint instead of starting at "now". */
  resumeFrom(checkpoint: ResumeCheckpoint): void {
    this.seen.import(checkpoint.seen);
    if (Array.isArray(checkpoint.invalid)) this.invalidSeen.import(checkpoint.invalid);
    if (checkpoint.charged) this.invalidSeen.importPacked(checkpoint.charged);
    this.heardAt = checkpoint.lastHeardSec * 1000;
    this.subscribedBefore = true;
  }
}
