import { hexWord } from '../dedup/hex.js';
import type { NostrEvent } from '../protocol/event.js';

/** Bytes of one packed id: its first 64 bits as two little-endian words, then its created_at. */
export const PACKED_ID_BYTES = 12;

/** Created_at kept in a 32-bit word (as `RelaySeen` keeps it). */
const clampCreatedAt = (createdAt: number) => Math.min(0xffff_fffe, Math.max(0, Math.floor(createdAt)));

/** Ids credited to one relay since the buffer started: three numbers per id (see `PACKED_ID_BYTES`). */
export interface CreditedIds {
  words: number[];
  /** Newest created_at among them (the row is kept while a resume could ask for it). */
  newest: number;
}

/** A network-unique event this buffer counted, kept until its flush commits it as counted. */
export interface CountedEvent {
  event: NostrEvent;
  atMs: number;
  /** The relay whose copy won the claim. */
  relayId: number;
}

/** Where a relay's stream stood when the buffer was cut (see `relay_resume`). */
export interface ResumeMark {
  heardSec: number;
  floorSec: number;
}

/**
 * What a flush commits beside the counters so a restart resumes from durable state: the ids
 * credited per relay, the events counted network-wide, and each relay's resume mark. All of it is
 * in the buffer, so it lands in the same transaction as the counts it covers, or not at all.
 */
export class DurableLedger {
  readonly credited = new Map<number, CreditedIds>();
  counted: CountedEvent[] = [];
  readonly resume = new Map<number, ResumeMark>();

  /**
   * Weight in the buffer bound (BUFFER_MAX_KEYS): a counted event like a counter key, a credited
   * id (three small numbers) like an eighth of one.
   */
  get size(): number {
    let words = 0;
    for (const c of this.credited.values()) words += c.words.length;
    return this.counted.length + Math.ceil(words / 24);
  }

  /** `relayId` was credited with the copy of `id` (a valid, first copy from that relay). */
  credit(relayId: number, id: string, createdAt: number): void {
    const lo = hexWord(id, 0);
    const hi = hexWord(id, 8);
    if (lo < 0 || hi < 0) return;
    const created = clampCreatedAt(createdAt);
    let entry = this.credited.get(relayId);
    if (!entry) {
      entry = { words: [], newest: 0 };
      this.credited.set(relayId, entry);
    }
    entry.words.push(lo, hi, created);
    if (created > entry.newest) entry.newest = created;
  }

  /**
   * `event` won the network-wide claim (counted current, late or future). What is kept is what
   * its counters were made of (kind, author, times, the client and `d` tags; every tag of a
   * deletion), not its content, so a buffer of follow lists stays small.
   */
  count(event: NostrEvent, atMs: number, relayId: number): void {
    const tags = event.kind === 5 ? event.tags : event.tags.filter((t) => t[0] === 'client' || t[0] === 'd');
    const slim: NostrEvent = { ...event, tags, content: '' };
    this.counted.push({ event: slim, atMs, relayId });
  }

  /** Adds an older buffer's ledger (its flush failed); resume marks here are newer and win. */
  mergeFrom(older: DurableLedger): void {
    for (const [relayId, c] of older.credited) {
      const entry = this.credited.get(relayId);
      if (!entry) this.credited.set(relayId, { words: [...c.words], newest: c.newest });
      else {
        for (const w of c.words) entry.words.push(w);
        if (c.newest > entry.newest) entry.newest = c.newest;
      }
    }
    this.counted = older.counted.concat(this.counted);
    for (const [relayId, mark] of older.resume) if (!this.resume.has(relayId)) this.resume.set(relayId, mark);
  }
}

/** The packed bytes of one relay's credited ids (the `relay_credited.ids` and checkpoint format). */
export function packCredited(words: readonly number[]): Buffer {
  const out = Buffer.alloc((words.length / 3) * PACKED_ID_BYTES);
  for (let i = 0, at = 0; i + 2 < words.length; i += 3, at += PACKED_ID_BYTES) {
    out.writeUInt32LE(words[i] as number, at);
    out.writeUInt32LE(words[i + 1] as number, at + 4);
    out.writeUInt32LE(words[i + 2] as number, at + 8);
  }
  return out;
}

/** The id's first 64 bits as a signed 64-bit integer in decimal (the `counted_events` key). */
export function idKey(id: string): string {
  return BigInt.asIntN(64, BigInt(`0x${id.slice(0, 16)}`)).toString();
}
