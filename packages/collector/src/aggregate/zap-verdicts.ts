import type { ZapRejectReason } from '@nostr-info/shared/stats';
import { type LightningEntry, replaces } from '../extract/zap-profile.js';
import type { DueRecheck } from '../zaps/recheck-pacer.js';
import { slotIn } from './buckets.js';

/**
 * A receipt that passed every check but the payment's: it counts if its payment hash was not
 * counted before, which only the flush transaction can tell (`zap_payments`).
 */
export interface ZapClaim {
  /** Hour the receipt was received (its counts land in that hour, whenever they are flushed). */
  hour: string;
  atMs: number;
  receiptId: string;
  paymentHash: string;
  /** `unverified`: its recipient's zap provider could not be learned; counted apart if new. */
  verdict: 'accepted' | 'unverified';
  sats: number;
  extraMsats: number;
  sender: string | undefined;
  receiver: string | undefined;
  /** The receipt's signer (kept with an unverified receipt, to check it again later). */
  signer: string;
  /**
   * A stored unverified receipt checked again (`zap_unverified`): it counts only by turning its
   * own unverified payment into an accepted one, never as a duplicate of it.
   */
  recheck: boolean;
}

/** A receipt counted `unverified` and kept for another check (a `zap_unverified` row). */
export type StoredUnverified = Omit<ZapClaim, 'verdict' | 'recheck'>;

/** Receipts not counted, per hour and reason, with their amounts when readable. */
export interface ZapRejectionRow {
  hour: string;
  /** The 5-minute slot within `hour` (see `CounterBuffer.relayKindRow`). */
  slot: string;
  reason: ZapRejectReason;
  receipts: number;
  sats: number;
  extraMsats: number;
}

/**
 * The zap verdicts of a flush: rejections, claims waiting for the payment check, and the latest
 * Lightning address of each profile seen. Merges like every other part of the buffer, so a failed
 * flush is retried whole (its payment claims were rolled back with it).
 */
export class ZapVerdicts {
  readonly rejections = new Map<string, ZapRejectionRow>();
  claims: ZapClaim[] = [];
  /** Stored unverified receipts a second check rejected: moved from `unverified` to `reason`. */
  dropped: { paymentHash: string; reason: ZapRejectReason }[] = [];
  readonly addresses = new Map<string, LightningEntry>();
  /**
   * Receipts rejected by reason in the last write of this buffer, payment checks included; read
   * by the flusher once the write committed (the rejected-receipts metric counts what landed).
   */
  written = new Map<ZapRejectReason, number>();
  /**
   * Stored unverified receipts whose recipient has a Lightning address now, found by the last write
   * of this buffer: handed to zap verification once it committed.
   */
  rechecks: StoredUnverified[] = [];
  /** The recipients the last write of this buffer rechecked (the pacer marks them once it committed). */
  recheckDue: DueRecheck[] = [];

  get keys(): number {
    return this.rejections.size + this.claims.length + this.dropped.length + this.addresses.size;
  }

  /** A receipt received at `atMs` (the clock when not given), in the hour bucket `hour`. */
  reject(
    hour: string,
    reason: ZapRejectReason,
    sats = 0,
    extraMsats = 0,
    receipts = 1,
    atMs = Date.now(),
  ): void {
    this.rejectAt({ hour, slot: slotIn(hour, atMs), reason, receipts, sats, extraMsats });
  }

  private rejectAt(r: ZapRejectionRow): void {
    const key = `${r.slot}|${r.reason}`;
    const row = this.rejections.get(key);
    if (row) {
      row.receipts += r.receipts;
      row.sats += r.sats;
      row.extraMsats += r.extraMsats;
    } else this.rejections.set(key, { ...r });
  }

  claim(claim: ZapClaim): void {
    this.claims.push(claim);
  }

  /** A stored unverified receipt that a second check rejected. */
  drop(paymentHash: string, reason: ZapRejectReason): void {
    this.dropped.push({ paymentHash, reason });
  }

  /** Keeps the newest profile of each pubkey (NIP-01 order). */
  addAddress(entry: LightningEntry): void {
    if (replaces(entry, this.addresses.get(entry.pubkey))) this.addresses.set(entry.pubkey, entry);
  }

  mergeFrom(older: ZapVerdicts): void {
    for (const r of older.rejections.values()) this.rejectAt(r);
    this.claims = [...older.claims, ...this.claims];
    this.dropped = [...older.dropped, ...this.dropped];
    for (const entry of older.addresses.values()) this.addAddress(entry);
  }
}
