import { hash } from 'node:crypto';
import { placeInIndex, removeFromIndex } from './probe-index.js';

/** Prefix of an exported key that is already a 64-bit hash (16 hex digits). */
const HASHED = 'h:';

/**
 * Bad copies one relay has already been charged for, so a re-sent bad copy (a replay after a
 * reconnect looks back up to `RESUME_LOOKBACK_SECONDS`) is counted once. Kept per relay so a relay
 * flooding bad events cannot evict the memory of the others; oldest forgotten first.
 *
 * Compact: a key is kept as the first 64 bits of its sha256 in a ring of 32-bit words (grown by
 * doubling up to `max`, so quiet relays hold little) with an
 * open-addressing index (about 16 bytes a key instead of ~250 for the key string in a Set: a few
 * MB for 240 relays with full rings). Two different bad copies share a 64-bit hash with
 * probability 2^-64, so at most ~max / 2^64 of lookups could skip charging a bad copy.
 */
export class InvalidSeen {
  private readonly max: number;
  /** Current ring size: grows by doubling up to `max`, so quiet relays hold little. */
  private capacity: number;
  /** Ring of keys: words 2i, 2i+1 (hash bits 0-31, 32-63). */
  private ring: Uint32Array;
  private index: Int32Array;
  private mask: number;
  private next = 0;
  private count = 0;

  constructor(max = 2048) {
    this.max = Math.max(1, max);
    this.capacity = Math.min(this.max, 16);
    this.ring = new Uint32Array(this.capacity * 2);
    this.index = new Int32Array(32);
    this.mask = 31;
  }

  /** Doubles the ring (oldest entries first, so eviction order is kept) and rebuilds the index. */
  private grow(): void {
    const old = this.ring;
    const oldSize = this.capacity;
    this.capacity = Math.min(this.max, oldSize * 2);
    this.ring = new Uint32Array(this.capacity * 2);
    for (let n = 0; n < this.count; n++) {
      const from = (this.next + n) % oldSize;
      this.ring[2 * n] = old[2 * from] ?? 0;
      this.ring[2 * n + 1] = old[2 * from + 1] ?? 0;
    }
    let slots = 32;
    while (slots < this.capacity * 2) slots *= 2;
    this.index = new Int32Array(slots);
    this.mask = slots - 1;
    for (let n = 0; n < this.count; n++) this.place(n);
    this.next = this.count % this.capacity;
  }

  private place(slot: number): void {
    placeInIndex(this.index, this.mask, (this.ring[2 * slot] ?? 0) & this.mask, slot + 1);
  }

  get size(): number {
    return this.count;
  }

  /**
   * Returns true the first time this relay delivers this bad copy; `charged` is then told its
   * 64-bit hash (as `export` writes it), for the durable record of what was charged.
   */
  first(key: string, charged?: (hi: number, lo: number) => void): boolean {
    const h = hash('sha256', key, 'buffer');
    const hi = h.readUInt32BE(0);
    const lo = h.readUInt32BE(4);
    if (!this.firstHash(hi, lo)) return false;
    charged?.(hi, lo);
    return true;
  }

  private find(hi: number, lo: number): boolean {
    for (let i = hi & this.mask; ; i = (i + 1) & this.mask) {
      const e = this.index[i] ?? 0;
      if (e === 0) return false;
      if (this.ring[2 * (e - 1)] === hi && this.ring[2 * (e - 1) + 1] === lo) return true;
    }
  }

  private firstHash(hi: number, lo: number): boolean {
    if (this.find(hi, lo)) return false;
    if (this.count === this.capacity && this.capacity < this.max) this.grow();
    const slot = this.next;
    if (this.count === this.capacity) this.remove(slot);
    else this.count += 1;
    this.next = (slot + 1) % this.capacity;
    this.ring[2 * slot] = hi;
    this.ring[2 * slot + 1] = lo;
    this.place(slot);
    return true;
  }

  /** Takes a ring slot out of the index. */
  private remove(slot: number): void {
    removeFromIndex(
      this.index,
      this.mask,
      slot + 1,
      (value) => (this.ring[2 * (value - 1)] ?? 0) & this.mask,
    );
  }

  /** Keys to hand to the relay's next owner (hashed, oldest first). */
  export(): string[] {
    const out: string[] = [];
    const start = this.count === this.capacity ? this.next : 0;
    for (let n = 0; n < this.count; n++) {
      const slot = (start + n) % this.capacity;
      const hi = (this.ring[2 * slot] ?? 0).toString(16).padStart(8, '0');
      const lo = (this.ring[2 * slot + 1] ?? 0).toString(16).padStart(8, '0');
      out.push(`${HASHED}${hi}${lo}`);
    }
    return out;
  }

  /** Takes hashes as `DurableLedger.charge` packs them (8 bytes each: hi, lo big-endian). */
  importPacked(packed: Buffer): void {
    for (let at = 0; at + 8 <= packed.length; at += 8)
      this.firstHash(packed.readUInt32BE(at), packed.readUInt32BE(at + 4));
  }

  /** Takes keys from `export` (or raw keys, as older replicas exported them). */
  import(keys: readonly string[]): void {
    for (const key of keys) {
      if (typeof key !== 'string') continue;
      if (key.startsWith(HASHED) && /^[0-9a-f]{16}$/.test(key.slice(HASHED.length))) {
        this.firstHash(Number.parseInt(key.slice(2, 10), 16), Number.parseInt(key.slice(10, 18), 16));
      } else this.first(key);
    }
  }
}
