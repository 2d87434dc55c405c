import type { Timing } from '@nostr-info/shared/nostr';
import { clientOf } from '../extract/client-tag.js';
import { type LightningEntry, lightningAddressOf } from '../extract/zap-profile.js';
import { type NostrEvent, tagValue } from '../protocol/event.js';
import { articleKey } from '../store/pg-text.js';
import { hourOf } from './buckets.js';
import { CounterBuffer, type ReplaceableRow } from './counter-buffer.js';

/** Kinds whose latest event per pubkey is kept (profiles, follow lists, relay lists). */
export const REPLACEABLE_KINDS: ReadonlySet<number> = new Set([0, 3, 10002]);

/**
 * Most followees kept of one follow list (the first distinct valid `p` tags, in tag order). Relays
 * cap event sizes well below this many tags, so it only bounds what a hostile list can cost.
 */
export const MAX_FOLLOWS = 10_000;

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The followees of a kind 3 event: its `p` tags that name a lowercase 64-hex key, each once,
 * without the author itself, at most `MAX_FOLLOWS`.
 */
export function followsOf(event: NostrEvent): string[] {
  const seen = new Set<string>();
  for (const tag of event.tags) {
    const key = tag[1];
    if (tag[0] !== 'p' || typeof key !== 'string' || !HEX64.test(key) || key === event.pubkey) continue;
    seen.add(key);
    if (seen.size >= MAX_FOLLOWS) break;
  }
  return [...seen];
}

/** The latest-wins row of a replaceable event; a follow list carries its followees. */
export function replaceableOf(event: NostrEvent): ReplaceableRow {
  const row: ReplaceableRow = {
    kind: event.kind,
    pubkey: event.pubkey,
    eventId: event.id,
    createdAt: event.created_at * 1000,
  };
  if (event.kind === 3) row.follows = followsOf(event);
  return row;
}

/**
 * Where network-unique zap receipts go to be checked per NIP-57 (asynchronously: the provider key
 * is fetched), and the profiles whose Lightning addresses name the providers.
 */
export interface ZapReceiptSink {
  receipt(event: NostrEvent, atMs: number): void;
  profile(entry: LightningEntry): void;
}

/**
 * Turns checked event copies into counters. Per-relay figures are recorded for every copy;
 * network figures only for the copy that won the network-wide dedup (`recordUnique`).
 */
export class Aggregator {
  buffer = new CounterBuffer();
  /** Zap verification; without one, receipts are counted `unverified` (tools and unit tests). */
  zapSink: ZapReceiptSink | undefined;

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
    const row = this.buffer.relayKindRow(hourOf(atMs), relayId, kind, atMs);
    row.events += 1;
    if (duplicate) row.duplicates += 1;
  }

  /** `relayId` delivered an event first that another relay delivered after it (`Corroboration`). */
  recordFirstCorroborated(relayId: number, kind: number, atMs: number): void {
    this.buffer.relayKindRow(hourOf(atMs), relayId, kind, atMs).firstCorroborated += 1;
  }

  /** An invalid copy (bad shape, id or signature) delivered by `relayId`. */
  recordInvalid(relayId: number, kind: number, atMs: number): void {
    this.buffer.relayKindRow(hourOf(atMs), relayId, kind, atMs).invalid += 1;
  }

  /** The network-unique occurrence of a valid event, received at `atMs`. */
  recordUnique(event: NostrEvent, atMs: number): void {
    const b = this.buffer;
    const hour = hourOf(atMs);
    const seen = { first: atMs, last: atMs, events: 1 };
    b.events += 1;
    b.addNetwork(hour, event.kind, 1, atMs);
    // A zap receipt is signed by the recipient's wallet service, not by a person: its signer is
    // never an active user, new user or client user.
    const service = event.kind === 9735;
    if (!service) {
      b.addPubkey(event.pubkey, seen);
      b.addActive(hour, event.pubkey);
    }
    const client = clientOf(event);
    if (client) {
      b.addClient(hour, client, 1, atMs);
      if (!service) b.addClientUser(client, event.pubkey, seen);
    }
    if (event.kind === 0) this.recordProfile(event);
    if (service) {
      if (this.zapSink) this.zapSink.receipt(event, atMs);
      else b.zapVerdicts.reject(hour, 'unverified', 0, 0, 1, atMs);
    } else if (event.kind === 30023) {
      const d = articleKey(tagValue(event, 'd') ?? '');
      b.addArticle(event.pubkey, d, seen, event.created_at * 1000, event.id);
    } else if (REPLACEABLE_KINDS.has(event.kind)) {
      b.addReplaceable(replaceableOf(event));
    } else if (event.kind === 5) b.filtered.addDeletion(event, hour, atMs);
  }

  /**
   * A network-unique event first counted `late` or `future` (see `timingOf`): counted apart, and
   * never as an event of the hour, user activity, client use, an article update or a zap (nor a
   * profile's zap provider). Only state moves: the latest replaceable event (the newest
   * created_at wins anyway) and deletion requests.
   */
  recordUntimely(event: NostrEvent, atMs: number, timing: Exclude<Timing, 'current'>): void {
    const b = this.buffer;
    b.filtered.addTimed(hourOf(atMs), event.kind, timing, atMs);
    if (event.kind === 5) b.filtered.addDeletion(event, undefined);
    if (REPLACEABLE_KINDS.has(event.kind)) b.addReplaceable(replaceableOf(event));
  }

  /** A profile's Lightning address, kept durably so any replica can find a recipient's zap provider. */
  private recordProfile(event: NostrEvent): void {
    const entry: LightningEntry = {
      pubkey: event.pubkey,
      eventId: event.id,
      createdAt: event.created_at * 1000,
      ...lightningAddressOf(event.content),
    };
    this.buffer.zapVerdicts.addAddress(entry);
    this.zapSink?.profile(entry);
  }
}
