import {
  COLLECTED_KINDS,
  FILTER_TOLERANCE_SECONDS,
  type OffFilterReason,
  SUBSCRIPTION_GRACE_MS,
} from '@nostr-info/shared/nostr';
import { frameInSubscription } from './relay-message.js';

export type { OffFilterReason } from '@nostr-info/shared/nostr';

/** The part of a REQ filter a copy is checked against. */
export interface FilterWindow {
  kinds?: readonly number[];
  since?: number;
  until?: number;
}

/** One subscription this connection asked for, as the copies it brings are checked against it. */
export interface OpenSubscription {
  readonly id: string;
  /** `"<id>"`: the bytes that follow `["EVENT",` in its frames. */
  readonly quoted: Buffer;
  readonly kinds: ReadonlySet<number>;
  /** Oldest created_at accepted: `since` less the tolerance. */
  readonly oldest: number;
  /** Newest created_at accepted below `liveFrom`: `until` plus the tolerance (no `until`: none). */
  readonly newest: number;
  /**
   * Copies created after the REQ was sent (less the tolerance) are live traffic, which many
   * relays push to every open subscription whatever its `until`: they are not held against it.
   */
  readonly liveFrom: number;
  /** When the collector closed or replaced it (ms; 0 while open). */
  closedAt: number;
}

const ALL_COLLECTED: ReadonlySet<number> = new Set(COLLECTED_KINDS);

/**
 * Why a copy of `kind` created at `createdAt` (unix seconds) is outside `sub` (`undefined` when it
 * is inside). The subscription itself is checked first (`OpenSubscriptions.match`).
 */
export function offFilterReason(
  sub: OpenSubscription,
  kind: number,
  createdAt: number,
): OffFilterReason | undefined {
  if (!sub.kinds.has(kind)) return 'kind';
  if (createdAt < sub.oldest) return 'since';
  if (createdAt > sub.newest && createdAt < sub.liveFrom) return 'until';
  return undefined;
}

/**
 * The subscriptions open on one relay's socket (the main REQ, a replay page), each copy of an
 * event being checked against the one that brought it. A subscription closed or replaced by the
 * collector still takes copies for `SUBSCRIPTION_GRACE_MS`: frames already on the wire.
 *
 * Tolerance: a copy's created_at may lie `FILTER_TOLERANCE_SECONDS` outside `since`/`until`
 * (see `@nostr-info/shared/nostr`); a resumed REQ and replay pages carry their own `since` and
 * `until`, so each copy is judged by the window it was asked for in.
 */
export class OpenSubscriptions {
  private entries: OpenSubscription[] = [];

  constructor(private readonly graceMs = SUBSCRIPTION_GRACE_MS) {}

  /** A REQ sent for `id` (a REQ reusing an id replaces that subscription). */
  open(id: string, filter: FilterWindow, nowMs = Date.now()): void {
    this.prune(nowMs);
    this.entries = this.entries.filter((e) => e.id !== id);
    const tolerance = FILTER_TOLERANCE_SECONDS;
    this.entries.push({
      id,
      quoted: Buffer.from(JSON.stringify(id)),
      kinds: filter.kinds ? new Set(filter.kinds) : ALL_COLLECTED,
      oldest: filter.since === undefined ? Number.NEGATIVE_INFINITY : filter.since - tolerance,
      newest: filter.until === undefined ? Number.POSITIVE_INFINITY : filter.until + tolerance,
      liveFrom: Math.floor(nowMs / 1000) - tolerance,
      closedAt: 0,
    });
  }

  /** The collector closed (or replaced) `id`; copies already on the wire still count for a while. */
  close(id: string, nowMs = Date.now()): void {
    for (const e of this.entries) if (e.id === id && e.closedAt === 0) e.closedAt = nowMs;
    this.prune(nowMs);
  }

  /** Closes every open subscription but `keep` (a new REQ replaced them). */
  closeAllBut(keep: string, nowMs = Date.now()): void {
    for (const e of this.entries) if (e.id !== keep && e.closedAt === 0) e.closedAt = nowMs;
    this.prune(nowMs);
  }

  /** The socket is gone: nothing it carried can arrive any more. */
  clear(): void {
    this.entries = [];
  }

  /** Subscriptions open or within their grace (for tests and logs). */
  get size(): number {
    return this.entries.length;
  }

  /** The subscription an EVENT frame was sent under, read from its bytes (`undefined`: none of ours). */
  match(frame: Buffer, atMs: number): OpenSubscription | undefined {
    for (const e of this.entries) {
      if (frameInSubscription(frame, e.quoted)) return this.live(e, atMs);
    }
    return undefined;
  }

  /** The subscription with this id, for a frame parsed the slow way. */
  matchId(subId: unknown, atMs: number): OpenSubscription | undefined {
    for (const e of this.entries) if (e.id === subId) return this.live(e, atMs);
    return undefined;
  }

  private live(e: OpenSubscription, atMs: number): OpenSubscription | undefined {
    return e.closedAt === 0 || atMs - e.closedAt <= this.graceMs ? e : undefined;
  }

  private prune(nowMs: number): void {
    if (this.entries.some((e) => e.closedAt !== 0 && nowMs - e.closedAt > this.graceMs)) {
      this.entries = this.entries.filter((e) => e.closedAt === 0 || nowMs - e.closedAt <= this.graceMs);
    }
  }
}
