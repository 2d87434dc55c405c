import { clientOf } from '../extract/client-tag.js';
import { readZapReceipt } from '../extract/zap.js';
import { type NostrEvent, tagValue } from '../protocol/event.js';
import { articleKey } from '../store/pg-text.js';
import { hourOf } from './buckets.js';
import { CounterBuffer } from './counter-buffer.js';

/** Kinds whose latest event per pubkey is kept (profiles, follow lists, relay lists). */
export const REPLACEABLE_KINDS: ReadonlySet<number> = new Set([0, 3, 10002]);

/**
 * Turns checked event copies into counters. Per-relay figures are recorded for every copy;
 * network figures only for the copy that won the network-wide dedup (`recordUnique`).
 */
export class Aggregator {
  buffer = new CounterBuffer();

  /** Takes the current buffer for flushing and starts a new one. */
  take(): CounterBuffer {
    const taken = this.buffer;
    this.buffer = new CounterBuffer();
    return taken;
  }

  /** Puts back a buffer whose flush failed, under anything counted since. */
  restore(failed: CounterBuffer): void {
    this.buffer.mergeFrom(failed);
  }

  /** A valid copy delivered by `relayId`; `duplicate` when another copy was counted first. */
  recordCopy(relayId: number, kind: number, atMs: number, duplicate: boolean): void {
    const row = this.buffer.relayKindRow(hourOf(atMs), relayId, kind);
    row.events += 1;
    if (duplicate) row.duplicates += 1;
  }

  /** An invalid copy (bad shape, id or signature) delivered by `relayId`. */
  recordInvalid(relayId: number, kind: number, atMs: number): void {
    this.buffer.relayKindRow(hourOf(atMs), relayId, kind).invalid += 1;
  }

  /** The network-unique occurrence of a valid event, received at `atMs`. */
  recordUnique(event: NostrEvent, atMs: number): void {
    const b = this.buffer;
    const hour = hourOf(atMs);
    const seen = { first: atMs, last: atMs, events: 1 };
    b.events += 1;
    b.addNetwork(hour, event.kind);
    b.addPubkey(event.pubkey, seen);
    b.addActive(hour, event.pubkey);
    const client = clientOf(event);
    if (client) {
      b.addClient(hour, client);
      b.addClientUser(client, event.pubkey, seen);
    }
    if (event.kind === 9735) this.recordZap(event, hour, atMs);
    else if (event.kind === 30023) {
      b.addArticle(event.pubkey, articleKey(tagValue(event, 'd') ?? ''), seen, event.created_at * 1000);
    } else if (REPLACEABLE_KINDS.has(event.kind)) {
      b.addReplaceable({
        kind: event.kind,
        pubkey: event.pubkey,
        eventId: event.id,
        createdAt: event.created_at * 1000,
      });
    }
  }

  private recordZap(event: NostrEvent, hour: string, atMs: number): void {
    const receipt = readZapReceipt(event);
    const row = this.buffer.zapRow(hour);
    const seen = { first: atMs, last: atMs, events: 1 };
    // Senders and receivers count for every receipt; only plausible amounts are summed.
    const sats = receipt.ok ? receipt.sats : 0;
    const extra = receipt.ok ? receipt.extraMsats : 0;
    if (receipt.sender) this.buffer.addZapParticipant('sender', receipt.sender, seen, sats, extra);
    if (receipt.receiver) this.buffer.addZapParticipant('receiver', receipt.receiver, seen, sats, extra);
    if (!receipt.ok) {
      if (receipt.problem === 'flagged') row.flagged += 1;
      else row.invalidBolt11 += 1;
      return;
    }
    row.zaps += 1;
    row.sats += receipt.sats;
    row.extraMsats += receipt.extraMsats;
  }
}
