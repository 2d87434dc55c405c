import { hexWord } from '../dedup/hex.js';
import type { NostrEvent } from '../protocol/event.js';

/** Bytes of one packed id: its first 64 bits as two little-endian words, then its created_at. */
export const PACKED_ID_BYTES = 12;

/** Created_at kept in a 32-bit word (as `RelaySeen` keeps it). */
const clampCreatedAt = (createdAt: number) => Math.min(0xffff_fffe, Math.max(0, Math.floor(createdAt)));

/** A growable column of unsigned 32-bit words (a typed array, not a boxed number per word). */
export class WordColumn {
  private data: Uint32Array;
  length = 0;

  constructor(capacity = 48) {
    this.data = new Uint32Array(capacity);
  }

  /** Appends `n` words; grows by doubling. */
  reserve(n: number): number {
    const at = this.length;
    if (at + n > this.data.length) {
      const grown = new Uint32Array(Math.max(this.data.length * 2, at + n));
      grown.set(this.data.subarray(0, at));
      this.data = grown;
    }
    this.length += n;
    return at;
  }

  set(at: number, word: number): void {
    this.data[at] = word;
  }

  get(at: number): number {
    return this.data[at] as number;
  }

  /** The words held, without a copy (valid until the next append). */
  view(): Uint32Array {
    return this.data.subarray(0, this.length);
  }

  append(other: WordColumn): void {
    const at = this.reserve(other.length);
    this.data.set(other.view(), at);
  }
}

/** Ids credited to one relay since the buffer started: three words per id (see `PACKED_ID_BYTES`). */
export interface CreditedIds {
  words: WordColumn;
  /** Newest created_at among them (the row is kept while a resume could ask for it). */
  newest: number;
}

/** A network-unique event this buffer counted, kept until its flush commits it as counted. */
export interface CountedEvent {
  /** Its place in the ledger's `counted` log. */
  index: number;
  /** What its counters were made of (no content, no signature; see `CountedLog.add`). */
  event: NostrEvent;
  atMs: number;
  /** The relay whose copy won the claim. */
  relayId: number;
}

/** Words per entry in `CountedLog.words`: the id (8), the author (8), the relay, the tag set. */
const WORDS = 18;
const AUTHOR_AT = 8;
const RELAY_AT = 16;
const TAGS_AT = 17;
/** Numbers per entry in `CountedLog.numbers`: kind, created_at, arrival (ms); exact as doubles. */
const NUMBERS = 3;
const NO_TAGS: string[][] = [];

/** A growable column of doubles (kind, created_at and arrival keep any value JSON gave them). */
class NumberColumn {
  private data = new Float64Array(NUMBERS * 64);
  length = 0;

  reserve(n: number): number {
    const at = this.length;
    if (at + n > this.data.length) {
      const grown = new Float64Array(Math.max(this.data.length * 2, at + n));
      grown.set(this.data.subarray(0, at));
      this.data = grown;
    }
    this.length += n;
    return at;
  }

  set(at: number, value: number): void {
    this.data[at] = value;
  }

  get(at: number): number {
    return this.data[at] as number;
  }
}

/**
 * The events a buffer counted network-wide, in two typed columns: the id and the author as words
 * (both are validated lower-case hex), the winning relay, an index into the log's distinct tag
 * sets; kind, created_at and arrival as doubles. Tags are kept only where counters read them (the
 * client and `d` tags; every tag of a deletion), and equal sets once: most events carry the same
 * few client tags. A busy buffer holds tens of thousands of entries until its flush, so no entry
 * keeps a string or an array of its own (about 100 bytes an entry, against 300 as objects).
 */
export class CountedLog {
  private words = new WordColumn(WORDS * 64);
  private numbers = new NumberColumn();
  /** Distinct tag sets; entry word `TAGS_AT` is an index here plus one (0: no tags). */
  private tagSets: string[][][] = [];
  private tagSetIndex = new Map<string, number>();
  length = 0;

  /**
   * Keeps what the event's counters were made of (kind, author, times, the client and `d` tags;
   * every tag of a deletion), so a re-delivered copy can be taken out again (see `recount.ts`).
   */
  add(event: NostrEvent, atMs: number, relayId: number): void {
    const tags = event.kind === 5 ? event.tags : event.tags.filter((t) => t[0] === 'client' || t[0] === 'd');
    const at = this.words.reserve(WORDS);
    for (let w = 0; w < 8; w++) {
      this.words.set(at + w, Math.max(0, hexWord(event.id, w * 8)));
      this.words.set(at + AUTHOR_AT + w, Math.max(0, hexWord(event.pubkey, w * 8)));
    }
    this.words.set(at + RELAY_AT, relayId);
    this.words.set(at + TAGS_AT, tags.length > 0 ? this.tagSetOf(tags) : 0);
    const n = this.numbers.reserve(NUMBERS);
    this.numbers.set(n, event.kind);
    this.numbers.set(n + 1, event.created_at);
    this.numbers.set(n + 2, atMs);
    this.length++;
  }

  /** The index (plus one) of `tags` among the log's distinct tag sets. */
  private tagSetOf(tags: string[][]): number {
    const key = JSON.stringify(tags);
    let index = this.tagSetIndex.get(key);
    if (index === undefined) {
      index = this.tagSets.push(tags);
      this.tagSetIndex.set(key, index);
    }
    return index;
  }

  private hexAt(at: number): string {
    let hex = '';
    for (let w = 0; w < 8; w++)
      hex += this.words
        .get(at + w)
        .toString(16)
        .padStart(8, '0');
    return hex;
  }

  /**
   * The `counted_events` key of entry `i` as two words, high first: its id's first 64 bits (see
   * `idKey`; the database joins them into one signed 64-bit integer).
   */
  keyHi(i: number): number {
    return this.words.get(i * WORDS);
  }

  keyLo(i: number): number {
    return this.words.get(i * WORDS + 1);
  }

  /** The horizon of entry `i`: the later of its created_at and its arrival (seconds). */
  horizonAt(i: number): number {
    return Math.max(this.numbers.get(i * NUMBERS + 1), Math.floor(this.numbers.get(i * NUMBERS + 2) / 1000));
  }

  /** Entry `i` as the event its counters were made of. */
  at(i: number): CountedEvent {
    const at = i * WORDS;
    const tagSet = this.words.get(at + TAGS_AT);
    const event: NostrEvent = {
      id: this.hexAt(at),
      pubkey: this.hexAt(at + AUTHOR_AT),
      created_at: this.numbers.get(i * NUMBERS + 1),
      kind: this.numbers.get(i * NUMBERS),
      tags: tagSet === 0 ? NO_TAGS : (this.tagSets[tagSet - 1] as string[][]),
      content: '',
      sig: '',
    };
    return {
      index: i,
      event,
      atMs: this.numbers.get(i * NUMBERS + 2),
      relayId: this.words.get(at + RELAY_AT),
    };
  }

  /** Every entry, in the order counted. */
  all(): CountedEvent[] {
    return Array.from({ length: this.length }, (_, i) => this.at(i));
  }

  /** A log without the entries at `drop`. */
  without(drop: ReadonlySet<number>): CountedLog {
    const kept = new CountedLog();
    for (let i = 0; i < this.length; i++) if (!drop.has(i)) kept.copyFrom(this, i);
    return kept;
  }

  /** A log of `older`'s entries followed by this one's. */
  after(older: CountedLog): CountedLog {
    const both = new CountedLog();
    for (let i = 0; i < older.length; i++) both.copyFrom(older, i);
    for (let i = 0; i < this.length; i++) both.copyFrom(this, i);
    return both;
  }

  private copyFrom(from: CountedLog, i: number): void {
    const at = this.words.reserve(WORDS);
    for (let w = 0; w < WORDS; w++) this.words.set(at + w, from.words.get(i * WORDS + w));
    const tagSet = from.words.get(i * WORDS + TAGS_AT);
    this.words.set(at + TAGS_AT, tagSet === 0 ? 0 : this.tagSetOf(from.tagSets[tagSet - 1] as string[][]));
    const n = this.numbers.reserve(NUMBERS);
    for (let k = 0; k < NUMBERS; k++) this.numbers.set(n + k, from.numbers.get(i * NUMBERS + k));
    this.length++;
  }
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
  /** Bad copies charged per relay: two words (the hash `InvalidSeen` keeps) each. */
  readonly charged = new Map<number, WordColumn>();
  counted = new CountedLog();
  readonly resume = new Map<number, ResumeMark>();

  /**
   * Weight in the buffer bound (BUFFER_MAX_KEYS): a counted event like a counter key, a credited
   * id (three words) like an eighth of one.
   */
  get size(): number {
    let words = 0;
    for (const c of this.credited.values()) words += c.words.length;
    for (const c of this.charged.values()) words += c.length;
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
      entry = { words: new WordColumn(), newest: 0 };
      this.credited.set(relayId, entry);
    }
    const at = entry.words.reserve(3);
    entry.words.set(at, lo);
    entry.words.set(at + 1, hi);
    entry.words.set(at + 2, created);
    if (created > entry.newest) entry.newest = created;
  }

  /** `relayId` was charged a bad copy (invalid or off-filter) whose key hashes to `hi`, `lo`. */
  charge(relayId: number, hi: number, lo: number): void {
    let words = this.charged.get(relayId);
    if (!words) {
      words = new WordColumn(16);
      this.charged.set(relayId, words);
    }
    const at = words.reserve(2);
    words.set(at, hi);
    words.set(at + 1, lo);
  }

  /** `event` won the network-wide claim (counted current, late or future). */
  count(event: NostrEvent, atMs: number, relayId: number): void {
    this.counted.add(event, atMs, relayId);
  }

  /** Adds an older buffer's ledger (its flush failed); resume marks here are newer and win. */
  mergeFrom(older: DurableLedger): void {
    for (const [relayId, c] of older.credited) {
      const entry = this.credited.get(relayId);
      if (!entry) {
        const words = new WordColumn(c.words.length);
        words.append(c.words);
        this.credited.set(relayId, { words, newest: c.newest });
      } else {
        entry.words.append(c.words);
        if (c.newest > entry.newest) entry.newest = c.newest;
      }
    }
    for (const [relayId, c] of older.charged) {
      const words = new WordColumn(c.length + (this.charged.get(relayId)?.length ?? 0));
      words.append(c);
      const mine = this.charged.get(relayId);
      if (mine) words.append(mine);
      this.charged.set(relayId, words);
    }
    this.counted = this.counted.after(older.counted);
    for (const [relayId, mark] of older.resume) if (!this.resume.has(relayId)) this.resume.set(relayId, mark);
  }
}

/** The packed bytes of one relay's credited ids (the `relay_credited.ids` and checkpoint format). */
export function packCredited(words: ArrayLike<number>): Buffer {
  const out = Buffer.alloc((words.length / 3) * PACKED_ID_BYTES);
  for (let i = 0, at = 0; i + 2 < words.length; i += 3, at += PACKED_ID_BYTES) {
    out.writeUInt32LE(words[i] as number, at);
    out.writeUInt32LE(words[i + 1] as number, at + 4);
    out.writeUInt32LE(words[i + 2] as number, at + 8);
  }
  return out;
}

/** The packed bytes of one relay's charged hashes (the `relay_credited.charged` format). */
export function packCharged(words: ArrayLike<number>): Buffer {
  const out = Buffer.alloc(words.length * 4);
  for (let i = 0; i + 1 < words.length; i += 2) {
    out.writeUInt32BE(words[i] as number, i * 4);
    out.writeUInt32BE(words[i + 1] as number, i * 4 + 4);
  }
  return out;
}

/** The id's first 64 bits as a signed 64-bit integer in decimal (the `counted_events` key). */
export function idKey(id: string): string {
  return BigInt.asIntN(64, BigInt(`0x${id.slice(0, 16)}`)).toString();
}
