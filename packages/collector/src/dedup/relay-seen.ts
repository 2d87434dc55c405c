import { hexWord } from './hex.js';
import { MAX_LOAD, MAX_SEEN_CAPACITY, MIN_SLOTS, slotsFor, WORDS } from './seen-table.js';

export interface RelaySeenOptions {
  /** Most ids kept per relay (bounds memory with a fast relay or a flood). */
  capacity?: number;
  /**
   * Seconds of created_at history a resumed subscription asks for behind the last time the relay
   * was heard from: events the relay received during a gap with timestamps up to this old
   * (re-broadcasts, backdated publishes) are still delivered, and the set covers the window so
   * copies already credited are recognised.
   */
  lookbackSeconds?: number;
  /** Wall clock in milliseconds (replaceable in tests). */
  now?: () => number;
}

/** Created_at values kept fit a 32-bit word (until 2106); anything beyond is clamped. */
const MAX_CREATED_AT = 0xffff_fffe;

const clampCreatedAt = (createdAt: number) => Math.min(MAX_CREATED_AT, Math.max(0, Math.floor(createdAt)));

/**
 * The ids one relay has delivered recently, so that a resumed subscription can ask for a window
 * in the past (`since` = last heard − lookback) without crediting the relay twice for an event.
 *
 * Invariant: every id this relay delivered with `created_at >= floor` is in the set, and
 * `resumeSince` never goes below `floor`, so whatever the relay re-sends from there is recognised.
 * The floor rises in three ways only: at a resume (to its `since`), when history older than the
 * lookback behind the live stream is pruned (never asked for again), and when the set is full
 * and the oldest created_at are evicted (the resume window is then capped: `cappedResumes`).
 *
 * Compact and bounded: an id is kept as its first 64 bits in an open-addressing table of 32-bit
 * words (12 bytes a slot, at most 75 % full, so 16-24 bytes an id) instead of a 64-character
 * string in a Map (~130 bytes an id). Ids are SHA-256 outputs, so two different ids share their
 * first 64 bits with probability 2^-64: with n ids in a set, a lookup mistakes a new event for a
 * seen one with probability below n / 2^64 (about 10^-15 at n = 16,384; at 10,000 lookups a
 * second, one expected in ~10^4 years). Grinding an event id to collide with one of n known ids
 * takes ~2^64 / n hashes and only keeps that author's own copy from being credited to one relay.
 */
export class RelaySeen {
  private table: Uint32Array;
  private mask: number;
  private count = 0;
  private floor = 0;
  /** The floor set by evictions when the set was full (above it, a resume is capped). */
  private evictedBelow = 0;
  /** Arrival time (seconds) of the newest id added, which drives pruning by age. */
  private lastAddSec = 0;
  private capacity: number;
  private maxSlots: number;
  private readonly lookbackSeconds: number;
  private readonly now: () => number;
  private capped = 0;
  private evictedIds = 0;
  private addedIds = 0;

  constructor({
    capacity = MAX_SEEN_CAPACITY,
    lookbackSeconds = 900,
    now = Date.now,
  }: RelaySeenOptions = {}) {
    this.capacity = Math.max(1, capacity);
    this.maxSlots = slotsFor(this.capacity);
    this.lookbackSeconds = lookbackSeconds;
    this.now = now;
    this.table = new Uint32Array(MIN_SLOTS * WORDS);
    this.mask = MIN_SLOTS - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Resumes whose `since` was raised above last heard − lookback because the set was full. */
  get cappedResumes(): number {
    return this.capped;
  }

  /** Ids evicted because the set was full. */
  get evicted(): number {
    return this.evictedIds;
  }

  /** Ids added since start (their rate tells how many the look-back window needs). */
  get added(): number {
    return this.addedIds;
  }

  /** Every id delivered with a created_at at or above this is in the set. */
  get lowest(): number {
    return this.floor;
  }

  /**
   * The relay's first subscription asks from `since` on (now): a resume never reaches below it,
   * since what came before was not watched here (and may have been counted by a previous process).
   */
  startAt(since: number): void {
    if (since > this.floor) this.raiseFloor(since);
  }

  /** Forgets ids older than the look-back behind the newest one added (they are never re-asked). */
  prune(): void {
    const below = this.lastAddSec - this.lookbackSeconds;
    if (this.lastAddSec > 0 && below > this.floor) this.raiseFloor(below);
  }

  /** Most ids kept. */
  get limit(): number {
    return this.capacity;
  }

  /**
   * Changes the most ids kept (the replica's budget is shared again every reconcile tick).
   * Shrinking evicts the oldest created_at at once and gives the table's memory back; a later
   * resume is then capped like after any eviction.
   */
  setCapacity(capacity: number): void {
    const next = Math.max(1, Math.floor(capacity));
    if (next === this.capacity) return;
    this.capacity = next;
    this.maxSlots = slotsFor(next);
    if (this.count > next) this.evictOldest(this.count - Math.floor((next * 7) / 8));
    if (this.mask + 1 > this.maxSlots) this.rebuild(this.maxSlots, this.floor);
  }

  /** Bytes held by the id table. */
  get bytes(): number {
    return this.table.byteLength;
  }

  /** Slot of the id, or -1. */
  private find(hi: number, lo: number): number {
    const t = this.table;
    for (let i = lo & this.mask; ; i = (i + 1) & this.mask) {
      const base = i * WORDS;
      if (t[base + 2] === 0) return -1;
      if (t[base] === lo && t[base + 1] === hi) return i;
    }
  }

  has(id: string): boolean {
    if (id.length !== 64) return false;
    const lo = hexWord(id, 0);
    const hi = hexWord(id, 8);
    if (lo < 0 || hi < 0) return false;
    return this.find(hi, lo) >= 0;
  }

  /** Records a delivered id with its created_at (seconds). */
  add(id: string, createdAt: number): void {
    if (id.length !== 64) return;
    const lo = hexWord(id, 0);
    const hi = hexWord(id, 8);
    if (lo < 0 || hi < 0) return;
    this.lastAddSec = Math.floor(this.now() / 1000);
    this.addedIds += 1;
    this.insert(lo, hi, clampCreatedAt(createdAt));
  }

  private insert(lo: number, hi: number, createdAt: number): void {
    if (createdAt < this.floor) return; // Never re-requested, so no need to remember it.
    if (this.find(hi, lo) >= 0) return;
    if (this.count + 1 > this.capacity || this.count + 1 > (this.mask + 1) * MAX_LOAD) this.makeRoom();
    if (createdAt < this.floor) return; // Room was made by raising the floor above it.
    this.place(lo, hi, createdAt);
  }

  private place(lo: number, hi: number, createdAt: number): void {
    const t = this.table;
    let i = lo & this.mask;
    while (t[i * WORDS + 2] !== 0) i = (i + 1) & this.mask;
    const base = i * WORDS;
    t[base] = lo;
    t[base + 1] = hi;
    t[base + 2] = createdAt + 1;
    this.count += 1;
  }

  /**
   * Makes room for one more id: first forgets history older than the lookback behind the live
   * stream, then grows the table, and only when the set holds `capacity` ids evicts the oldest
   * eighth by created_at (amortised O(1) per id).
   */
  private makeRoom(): void {
    this.prune();
    if (this.count + 1 <= this.capacity && this.count + 1 <= (this.mask + 1) * MAX_LOAD) return;
    if (this.count + 1 <= this.capacity && this.mask + 1 < this.maxSlots) {
      this.rebuild(Math.min(this.maxSlots, (this.mask + 1) * 2), this.floor);
      return;
    }
    this.evictOldest(Math.ceil(this.count / 8));
  }

  /** Forgets at least `n` ids, the oldest by created_at (ties go together). */
  private evictOldest(n: number): void {
    if (this.count === 0) return;
    const createdAts = new Uint32Array(this.count);
    let k = 0;
    const t = this.table;
    for (let base = 2; base < t.length; base += WORDS)
      if (t[base] !== 0) createdAts[k++] = (t[base] as number) - 1;
    createdAts.sort();
    const cut = (createdAts[Math.min(k, Math.max(1, n)) - 1] as number) + 1;
    const before = this.count;
    this.raiseFloor(cut);
    this.evictedIds += before - this.count;
    this.evictedBelow = Math.max(this.evictedBelow, cut);
  }

  /** Forgets ids older than `floor` (table rebuilt, shrunk when mostly empty). */
  private raiseFloor(floor: number): void {
    this.floor = floor;
    let keep = 0;
    const t = this.table;
    for (let base = 2; base < t.length; base += WORDS)
      if (t[base] !== 0 && (t[base] as number) - 1 >= floor) keep++;
    // Shrinks once the table is mostly empty, so a relay that calmed down gives memory back.
    const slots = this.mask + 1;
    const next = keep * 4 < slots ? Math.min(slots, slotsFor(keep + 1)) : slots;
    // Nothing under the new floor and no shrink: the table stays as it is (no new allocation).
    if (keep === this.count && next === slots) return;
    this.rebuild(next, floor);
  }

  private rebuild(slots: number, floor: number): void {
    const old = this.table;
    this.table = new Uint32Array(slots * WORDS);
    this.mask = slots - 1;
    this.count = 0;
    for (let base = 0; base < old.length; base += WORDS) {
      const stored = old[base + 2] as number;
      if (stored !== 0 && stored - 1 >= floor)
        this.place(old[base] as number, old[base + 1] as number, stored - 1);
    }
  }

  /**
   * `since` for a re-subscription after a gap: `lookbackSeconds` before the last time the relay
   * was heard from, but never below what the set still covers (`capped` says the set was full).
   */
  resumeSince(lastHeardSeconds: number): { since: number; capped: boolean } {
    const wanted = lastHeardSeconds - this.lookbackSeconds;
    const since = Math.max(wanted, this.floor);
    const capped = this.evictedBelow > wanted;
    if (capped) this.capped += 1;
    // Forget what can no longer be re-sent so the set stays small.
    if (since > this.floor) this.raiseFloor(since);
    return { since, capped };
  }

  /** State to hand to the next owner of the relay (after a re-shard or a restart). */
  export(): RelaySeenState {
    const packed = Buffer.alloc(this.count * WORDS * 4);
    let at = 0;
    const t = this.table;
    for (let base = 0; base < t.length; base += WORDS) {
      if (t[base + 2] === 0) continue;
      packed.writeUInt32LE(t[base] as number, at);
      packed.writeUInt32LE(t[base + 1] as number, at + 4);
      packed.writeUInt32LE((t[base + 2] as number) - 1, at + 8);
      at += WORDS * 4;
    }
    return { floor: this.floor, ids: [], packed: packed.toString('base64') };
  }

  /** Takes over the state another replica exported (ids newer than its floor). */
  import(state: RelaySeenState): void {
    if (Number.isInteger(state.floor) && state.floor > this.floor) this.raiseFloor(state.floor);
    if (typeof state.packed === 'string') {
      const packed = Buffer.from(state.packed, 'base64');
      for (let at = 0; at + WORDS * 4 <= packed.length; at += WORDS * 4) {
        this.insert(packed.readUInt32LE(at), packed.readUInt32LE(at + 4), packed.readUInt32LE(at + 8));
      }
    }
    // Checkpoints written before the packed form carry full hex ids.
    for (const entry of Array.isArray(state.ids) ? state.ids : []) {
      const [id, createdAt] = entry;
      if (typeof id !== 'string' || !Number.isInteger(createdAt) || id.length !== 64) continue;
      const lo = hexWord(id, 0);
      const hi = hexWord(id, 8);
      if (lo >= 0 && hi >= 0) this.insert(lo, hi, clampCreatedAt(createdAt));
    }
  }
}

/** Serialisable `RelaySeen` contents. */
export interface RelaySeenState {
  floor: number;
  /** Full hex ids with created_at (checkpoints written before `packed`; empty since). */
  ids: [string, number][];
  /** Base64 of little-endian 32-bit words: id bits 0-31, id bits 32-63, created_at, per id. */
  packed?: string;
}
