import type { OffFilterReason, Timing } from '@nostr-info/shared/nostr';
import { readDeletion } from '../extract/deletion.js';
import type { NostrEvent } from '../protocol/event.js';
import { articleKey } from '../store/pg-text.js';
import { slotIn } from './buckets.js';

/** Copies a relay sent outside the subscription that brought them, per hour and reason. */
export interface OffFilterRow {
  hour: string;
  /** The 5-minute slot within `hour` (see `CounterBuffer.relayKindRow`). */
  slot: string;
  relayId: number;
  reason: OffFilterReason;
  copies: number;
}
/** Network-unique events first counted late or from the future, per hour and kind. */
export interface UntimelyRow {
  hour: string;
  slot: string;
  kind: number;
  late: number;
  future: number;
}
/** Deletions (kind 5) per hour and the kind they name in `k` tags (`UNKNOWN_KIND`: none). */
export interface DeletionKindRow {
  hour: string;
  slot: string;
  kind: number;
  deletions: number;
}
/** An author deleted their article (pubkey, d tag): every version created up to `deletedUntil` (ms). */
export interface ArticleDeletionRow {
  pubkey: string;
  dTag: string;
  deletedUntil: number;
}
/** `pubkey` asked for the deletion of the event `eventId` (it counts if the event is theirs). */
export interface EventDeletionRow {
  eventId: string;
  pubkey: string;
}

/** The kind stored for a deletion whose `k` tags name no kind. */
export const UNKNOWN_KIND = -1;

/**
 * What is kept out of the network figures, and the deletions that take articles out of them:
 * off-filter copies by relay and reason, late and future events by kind, deletions by kind, and
 * the deletion requests themselves (applied when the snapshot is computed, whatever the order in
 * which a deletion and its article arrive). Every field merges additively or by maximum, like the
 * rest of `CounterBuffer`.
 */
export class FilterCounters {
  readonly offFilter = new Map<string, OffFilterRow>();
  readonly untimely = new Map<string, UntimelyRow>();
  readonly deletions = new Map<string, DeletionKindRow>();
  readonly articleDeletions = new Map<string, ArticleDeletionRow>();
  readonly eventDeletions = new Map<string, EventDeletionRow>();

  /** Keyed counters held (part of BUFFER_MAX_KEYS). */
  get keys(): number {
    return (
      this.offFilter.size +
      this.untimely.size +
      this.deletions.size +
      this.articleDeletions.size +
      this.eventDeletions.size
    );
  }

  /** Counted in the 5-minute slot of `atMs` within `hour` (the clock when not given), as below. */
  addOffFilter(hour: string, relayId: number, reason: OffFilterReason, copies = 1, atMs = Date.now()): void {
    this.offFilterAt(hour, slotIn(hour, atMs), relayId, reason, copies);
  }

  private offFilterAt(hour: string, slot: string, relayId: number, reason: OffFilterReason, copies: number) {
    const key = `${slot}|${relayId}|${reason}`;
    const row = this.offFilter.get(key);
    if (row) row.copies += copies;
    else this.offFilter.set(key, { hour, slot, relayId, reason, copies });
  }

  addUntimely(hour: string, kind: number, late: number, future: number, atMs = Date.now()): void {
    this.untimelyAt(hour, slotIn(hour, atMs), kind, late, future);
  }

  private untimelyAt(hour: string, slot: string, kind: number, late: number, future: number): void {
    const key = `${slot}|${kind}`;
    const row = this.untimely.get(key);
    if (row) {
      row.late += late;
      row.future += future;
    } else this.untimely.set(key, { hour, slot, kind, late, future });
  }

  addDeletionKind(hour: string, kind: number, deletions = 1, atMs = Date.now()): void {
    this.deletionKindAt(hour, slotIn(hour, atMs), kind, deletions);
  }

  private deletionKindAt(hour: string, slot: string, kind: number, deletions: number): void {
    const key = `${slot}|${kind}`;
    const row = this.deletions.get(key);
    if (row) row.deletions += deletions;
    else this.deletions.set(key, { hour, slot, kind, deletions });
  }

  addArticleDeletion(pubkey: string, dTag: string, deletedUntil: number): void {
    const key = `${pubkey}|${dTag}`;
    const row = this.articleDeletions.get(key);
    if (!row) this.articleDeletions.set(key, { pubkey, dTag, deletedUntil });
    else if (deletedUntil > row.deletedUntil) row.deletedUntil = deletedUntil;
  }

  addEventDeletion(eventId: string, pubkey: string): void {
    const key = `${eventId}|${pubkey}`;
    if (!this.eventDeletions.has(key)) this.eventDeletions.set(key, { eventId, pubkey });
  }

  /**
   * A network-unique deletion (kind 5). Its requests always apply (a deletion is the author's
   * state, whenever it arrives); it is counted by kind only in `hour`, when given (not for a late
   * or future one).
   */
  addDeletion(event: NostrEvent, hour: string | undefined, atMs = Date.now()): void {
    const deletion = readDeletion(event);
    if (hour !== undefined) {
      if (deletion.kinds.length === 0) this.addDeletionKind(hour, UNKNOWN_KIND, 1, atMs);
      for (const kind of deletion.kinds) this.addDeletionKind(hour, kind, 1, atMs);
    }
    for (const d of deletion.articles)
      this.addArticleDeletion(event.pubkey, articleKey(d), event.created_at * 1000);
    for (const id of deletion.eventIds) this.addEventDeletion(id, event.pubkey);
  }

  /** A network-unique event first counted `late` or `future`, received in `hour`. */
  addTimed(hour: string, kind: number, timing: Exclude<Timing, 'current'>, atMs = Date.now()): void {
    if (timing === 'late') this.addUntimely(hour, kind, 1, 0, atMs);
    else this.addUntimely(hour, kind, 0, 1, atMs);
  }

  /** Adds everything from `older` (a buffer whose flush failed). */
  mergeFrom(older: FilterCounters): void {
    for (const r of older.offFilter.values()) this.offFilterAt(r.hour, r.slot, r.relayId, r.reason, r.copies);
    for (const r of older.untimely.values()) this.untimelyAt(r.hour, r.slot, r.kind, r.late, r.future);
    for (const r of older.deletions.values()) this.deletionKindAt(r.hour, r.slot, r.kind, r.deletions);
    for (const r of older.articleDeletions.values())
      this.addArticleDeletion(r.pubkey, r.dTag, r.deletedUntil);
    for (const r of older.eventDeletions.values()) this.addEventDeletion(r.eventId, r.pubkey);
  }
}
