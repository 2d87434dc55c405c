import { hash } from 'node:crypto';
import { hexEquals, hexWord } from './hex.js';
import { placeInIndex, removeFromIndex } from './probe-index.js';

const HEX64 = /^[0-9a-f]{64}$/;
/** Relays credited per id kept inline; more go to a small side map (rare: ~6 copies is typical). */
const INLINE_RELAYS = 8;
const ID_BYTES = 32;
/** Bytes kept of the signature's SHA-256 and of the copy's digest (128 bits: see below). */
const SIG_BYTES = 16;
const DIGEST_BYTES = 16;
/** created_at kept as an unsigned 32-bit value (until 2106); anything beyond is clamped. */
const MAX_CREATED_AT = 0xffff_ffff;

/**
 * Ids this replica has verified as valid, with their signature: a later copy with the same id
 * and the same signature is valid without verifying again; a copy with a different signature is
 * verified on its own, so an invalid copy can neither shadow nor borrow validity. Each entry also
 * keeps the sha256 of the verified copy's event JSON (a byte-identical copy needs no parse at
 * all), the kind and created_at, and the relays credited for the id, so a relay that repeats an
 * event (floods, replays after a reconnect) is credited once.
 *
 * Compact: entries live in typed arrays (full 32-byte id, 16 bytes of the signature's SHA-256,
 * 16 bytes of the copy's digest, kind, created_at, up to 8 relays inline: about 120 bytes an
 * entry with its index slot, against ~840 bytes for the same data as strings and arrays in a
 * Map), found through an open-addressing index on the id's first 32 bits and compared on all 32
 * bytes, so lookups are exact. The oldest entry is forgotten first. An entry number is valid
 * until the next `add`.
 *
 * The signature and the digest are compared on 128 bits of SHA-256. For anyone but the event's
 * author, passing an altered copy as the verified one means a second preimage of a 128-bit hash
 * (~2^128 hashes). The author, who can make many valid copies, could search a collision in ~2^64
 * hashes; the most it buys is one relay credited for an altered copy of the author's own valid
 * event (nothing network-wide changes: the id is the same valid event).
 */
export class ValidIds {
  private readonly max: number;
  private readonly index: Int32Array;
  private readonly mask: number;
  private readonly ids: Buffer;
  private readonly sigs: Buffer;
  private readonly digests: Buffer;
  private readonly hasDigest: Uint8Array;
  private readonly kinds: Uint32Array;
  private readonly createdAts: Uint32Array;
  private readonly relayCounts: Uint8Array;
  private readonly relays: Uint32Array;
  /** Per entry, a mark its user keeps (see `Corroboration`); 0 for a new entry. */
  private readonly marks: Uint8Array;
  private readonly moreRelays = new Map<number, number[]>();
  private next = 0;
  private count = 0;

  constructor(max = 120_000) {
    this.max = Math.max(1, max);
    let slots = 16;
    while (slots < this.max * 2) slots *= 2;
    this.index = new Int32Array(slots);
    this.mask = slots - 1;
    this.ids = Buffer.alloc(this.max * ID_BYTES);
    this.sigs = Buffer.alloc(this.max * SIG_BYTES);
    this.digests = Buffer.alloc(this.max * DIGEST_BYTES);
    this.hasDigest = new Uint8Array(this.max);
    this.kinds = new Uint32Array(this.max);
    this.createdAts = new Uint32Array(this.max);
    this.relayCounts = new Uint8Array(this.max);
    this.relays = new Uint32Array(this.max * INLINE_RELAYS);
    this.marks = new Uint8Array(this.max);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the typed arrays. */
  get bytes(): number {
    return (
      this.index.byteLength +
      this.ids.byteLength +
      this.sigs.byteLength +
      this.digests.byteLength +
      this.hasDigest.byteLength +
      this.kinds.byteLength +
      this.createdAts.byteLength +
      this.relayCounts.byteLength +
      this.relays.byteLength +
      this.marks.byteLength
    );
  }

  /** The entry of `id`, or -1. */
  find(id: string): number {
    if (id.length !== 64) return -1;
    const h = hexWord(id, 0);
    if (h < 0) return -1;
    const index = this.index;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const e = index[i] ?? 0;
      if (e === 0) return -1;
      if (this.idEquals(e - 1, id)) return e - 1;
    }
  }

  private idEquals(entry: number, id: string): boolean {
    return hexEquals(this.ids, entry * ID_BYTES, ID_BYTES, id);
  }

  /** Home slot of a stored entry (its id's first 32 bits, as `hexWord` reads them). */
  private home(entry: number): number {
    return this.ids.readUInt32BE(entry * ID_BYTES) & this.mask;
  }

  kind(entry: number): number {
    return this.kinds[entry] ?? 0;
  }

  createdAt(entry: number): number {
    return this.createdAts[entry] ?? 0;
  }

  /** True when `sig` (128 hex characters) is the signature verified for the entry. */
  sigEquals(entry: number, sig: string): boolean {
    return this.sigs.compare(sigPrint(sig), 0, SIG_BYTES, entry * SIG_BYTES, (entry + 1) * SIG_BYTES) === 0;
  }

  /** True when `digest` is the digest of the verified copy's event JSON. */
  digestEquals(entry: number, digest: Buffer | undefined): boolean {
    if (!digest || digest.length < DIGEST_BYTES || this.hasDigest[entry] !== 1) return false;
    return (
      this.digests.compare(digest, 0, DIGEST_BYTES, entry * DIGEST_BYTES, (entry + 1) * DIGEST_BYTES) === 0
    );
  }

  /** True when `relayId` was already credited for the entry. */
  credited(entry: number, relayId: number): boolean {
    const n = this.relayCounts[entry] ?? 0;
    const base = entry * INLINE_RELAYS;
    for (let i = 0; i < Math.min(n, INLINE_RELAYS); i++) if (this.relays[base + i] === relayId) return true;
    return n > INLINE_RELAYS && (this.moreRelays.get(entry)?.includes(relayId) ?? false);
  }

  /** How many relays were credited for the entry (255 at most). */
  relayCount(entry: number): number {
    return this.relayCounts[entry] ?? 0;
  }

  /** The relay credited first for the entry (undefined when none was). */
  firstRelay(entry: number): number | undefined {
    return (this.relayCounts[entry] ?? 0) > 0 ? this.relays[entry * INLINE_RELAYS] : undefined;
  }

  mark(entry: number): number {
    return this.marks[entry] ?? 0;
  }

  setMark(entry: number, mark: number): void {
    this.marks[entry] = mark;
  }

  /** Records that `relayId` was credited for the entry. */
  credit(entry: number, relayId: number): void {
    const n = this.relayCounts[entry] ?? 0;
    if (n < INLINE_RELAYS) this.relays[entry * INLINE_RELAYS + n] = relayId;
    else {
      const more = this.moreRelays.get(entry);
      if (more) more.push(relayId);
      else this.moreRelays.set(entry, [relayId]);
    }
    if (n < 255) this.relayCounts[entry] = n + 1;
  }

  /**
   * Records a verified id (64 lower-case hex characters) with its signature (128), kind,
   * created_at and the digest of the verified copy; false when the id was already known (another
   * copy won) or is not hex.
   */
  add(id: string, sig: string, kind: number, createdAt: number, digest: Buffer | undefined): boolean {
    if (!HEX64.test(id) || this.find(id) >= 0) return false;
    const entry = this.next;
    if (this.count === this.max) this.remove(entry);
    else this.count += 1;
    this.next = (entry + 1) % this.max;
    this.ids.write(id, entry * ID_BYTES, ID_BYTES, 'hex');
    sigPrint(sig).copy(this.sigs, entry * SIG_BYTES, 0, SIG_BYTES);
    if (digest && digest.length >= DIGEST_BYTES) {
      digest.copy(this.digests, entry * DIGEST_BYTES, 0, DIGEST_BYTES);
      this.hasDigest[entry] = 1;
    } else this.hasDigest[entry] = 0;
    this.kinds[entry] = kind;
    this.createdAts[entry] = Math.min(MAX_CREATED_AT, Math.max(0, Math.floor(createdAt)));
    this.relayCounts[entry] = 0;
    this.marks[entry] = 0;
    this.moreRelays.delete(entry);
    placeInIndex(this.index, this.mask, this.home(entry), entry + 1);
    return true;
  }

  /** Takes an entry out of the index (backward-shift deletion keeps every probe chain intact). */
  private remove(entry: number): void {
    removeFromIndex(this.index, this.mask, entry + 1, (value) => this.home(value - 1));
    this.moreRelays.delete(entry);
  }
}

/** SHA-256 of a signature as sent (its first `SIG_BYTES` are kept and compared). */
function sigPrint(sig: string): Buffer {
  return hash('sha256', sig, 'buffer');
}
