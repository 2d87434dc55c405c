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

/** Words per entry in the log's word chunks: the id (8), the author (8), the relay, the tag set. */
const WORDS = 18;
const AUTHOR_AT = 8;
const RELAY_AT = 16;
const TAGS_AT = 17;
/** Numbers per entry in the log's number chunks: kind, created_at, arrival (ms); exact as doubles. */
const NUMBERS = 3;
/** Entries per chunk (a power of two): 72 KiB of words and 24 KiB of numbers. */
const CHUNK_BITS = 10;
const CHUNK_ENTRIES = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_ENTRIES - 1;
const NO_TAGS: string[][] = [];

/**
 * The events a buffer counted network-wide, in typed columns: the id and the author as words
 * (both are validated lower-case hex), the winning relay, an index into the log's distinct tag
 * sets; kind, created_at and arrival as doubles. Tags are kept only where counters read them (the
 * client and `d` tags; every tag of a deletion), and equal sets once: most events carry the same
 * few client tags. A busy buffer holds tens of thousands of entries until its flush, so no entry
 * keeps a string or an array of its own (96 bytes an entry, against 300 as objects), and the
 * columns grow by fixed chunks: nothing is copied as the log grows, and no outgrown array waits
 * for a collection.
 */
export class CountedLog {
  private readonly words: Uint32Array[] = [];
  private readonly numbers: Float64Array[] = [];
  /** Distinct tag sets; entry word `TAGS_AT` is an index here plus one (0: no tags). */
  private tagSets: string[][][] = [];
  private tagSetIndex = new Map<string, number>();
  length = 0;

  /**
   * Keeps what the event's counters were made of (kind, author, times, the client and `d` tags;
   * every tag of a deletion), so a re-delivered copy can be taken out again (see `recount.ts`).
   */
  add(event: NostrEvent, atMs: number, relayId: number): void {
    const i = this.grow();
    const words = this.words[i >>> CHUNK_BITS] as Uint32Array;
    const at = (i & CHUNK_MASK) * WORDS;
    for (let w = 0; w < 8; w++) {
      words[at + w] = Math.max(0, hexWord(event.id, w * 8));
      words[at + AUTHOR_AT + w] = Math.max(0, hexWord(event.pubkey, w * 8));
    }
    words[at + RELAY_AT] = relayId;
    words[at + TAGS_AT] = this.tagSetOf(event);
    const numbers = this.numbers[i >>> CHUNK_BITS] as Float64Array;
    const n = (i & CHUNK_MASK) * NUMBERS;
    numbers[n] = event.kind;
    numbers[n + 1] = event.created_at;
    numbers[n + 2] = atMs;
  }

  /** Makes room for one more entry; returns its index. */
  private grow(): number {
    const i = this.length;
    if (i >>> CHUNK_BITS === this.words.length) {
      this.words.push(new Uint32Array(CHUNK_ENTRIES * WORDS));
      this.numbers.push(new Float64Array(CHUNK_ENTRIES * NUMBERS));
    }
    this.length++;
    return i;
  }

  /** The tag set the event's counters read, as an index (plus one) among the log's sets; 0: none. */
  private tagSetOf(event: NostrEvent): number {
    let kept = event.tags;
    if (event.kind !== 5) {
      let n = 0;
      for (const t of kept) if (t[0] === 'client' || t[0] === 'd') n++;
      if (n === 0) return 0;
      if (n < kept.length) kept = kept.filter((t) => t[0] === 'client' || t[0] === 'd');
    } else if (kept.length === 0) return 0;
    return this.indexOfTags(kept);
  }

  private indexOfTags(tags: string[][]): number {
    const key = JSON.stringify(tags);
    let index = this.tagSetIndex.get(key);
    if (index === undefined) {
      index = this.tagSets.push(tags);
      this.tagSetIndex.set(key, index);
    }
    return index;
  }

  private word(i: number, w: number): number {
    return (this.words[i >>> CHUNK_BITS] as Uint32Array)[(i & CHUNK_MASK) * WORDS + w] as number;
  }

  private number(i: number, k: number): number {
    return (this.numbers[i >>> CHUNK_BITS] as Float64Array)[(i & CHUNK_MASK) * NUMBERS + k] as number;
  }

  private hexAt(i: number, from: number): string {
    let hex = '';
    for (let w = from; w < from + 8; w++) hex += this.word(i, w).toString(16).padStart(8, '0');
    return hex;
  }

  /**
   * The `counted_events` key of entry `i` as two words, high first: its id's first 64 bits (see
   * `idKey`; the database joins them into one signed 64-bit integer).
   */
  keyHi(i: number): number {
    return this.word(i, 0);
  }

  keyLo(i: number): number {
    return this.word(i, 1);
  }

  /**
   * The entries' indices in key order: signed, as the `counted_events` column sorts, and equal
   * keys in the order counted. A stable radix sort on 16-bit digits (four passes, no comparator
   * call per pair), so a flush of tens of thousands of entries sorts in about a millisecond.
   */
  keyOrder(): Uint32Array {
    const n = this.length;
    const hi = new Uint32Array(n);
    const lo = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      // The sign bit flipped: signed order as unsigned.
      hi[i] = (this.keyHi(i) ^ 0x8000_0000) >>> 0;
      lo[i] = this.keyLo(i);
    }
    let order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    let next = new Uint32Array(n);
    const starts = new Uint32Array(0x1_0001);
    for (const [words, shift] of [
      [lo, 0],
      [lo, 16],
      [hi, 0],
      [hi, 16],
    ] as const) {
      starts.fill(0);
      for (let k = 0; k < n; k++)
        (starts[(((words[order[k] as number] as number) >>> shift) & 0xffff) + 1] as number)++;
      for (let d = 1; d < starts.length; d++) starts[d] = (starts[d] as number) + (starts[d - 1] as number);
      for (let k = 0; k < n; k++) {
        const i = order[k] as number;
        next[(starts[((words[i] as number) >>> shift) & 0xffff] as number)++] = i;
      }
      [order, next] = [next, order];
    }
    return order;
  }

  /** The horizon of entry `i`: the later of its created_at and its arrival (seconds). */
  horizonAt(i: number): number {
    return Math.max(this.number(i, 1), Math.floor(this.number(i, 2) / 1000));
  }

  /** Entry `i` as the event its counters were made of. */
  at(i: number): CountedEvent {
    const tagSet = this.word(i, TAGS_AT);
    const event: NostrEvent = {
      id: this.hexAt(i, 0),
      pubkey: this.hexAt(i, AUTHOR_AT),
      created_at: this.number(i, 1),
      kind: this.number(i, 0),
      tags: tagSet === 0 ? NO_TAGS : (this.tagSets[tagSet - 1] as string[][]),
      content: '',
      sig: '',
    };
    return { index: i, event, atMs: this.number(i, 2), relayId: this.word(i, RELAY_AT) };
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
    const j = this.grow();
    const words = this.words[j >>> CHUNK_BITS] as Uint32Array;
    const at = (j & CHUNK_MASK) * WORDS;
    for (let w = 0; w < WORDS; w++) words[at + w] = from.word(i, w);
    const tagSet = from.word(i, TAGS_AT);
    words[at + TAGS_AT] = tagSet === 0 ? 0 : this.indexOfTags(from.tagSets[tagSet - 1] as string[][]);
    const numbers = this.numbers[j >>> CHUNK_BITS] as Float64Array;
    const n = (j & CHUNK_MASK) * NUMBERS;
    for (let k = 0; k < NUMBERS; k++) numbers[n + k] = from.number(i, k);
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

/** True where typed arrays keep their words little-endian (every platform Node runs on today). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The packed bytes of one relay's credited ids (the `relay_credited.ids` and checkpoint format:
 * three little-endian words per id). On a little-endian host a column's words are those bytes
 * already, and the buffer shares their memory (valid while the column is not appended to).
 */
export function packCredited(words: ArrayLike<number>): Buffer {
  const whole = words.length - (words.length % 3);
  if (LITTLE_ENDIAN && words instanceof Uint32Array)
    return Buffer.from(words.buffer, words.byteOffset, whole * 4);
  const out = Buffer.alloc((whole / 3) * PACKED_ID_BYTES);
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
