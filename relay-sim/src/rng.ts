import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** A small seeded PRNG (sfc32): the same seed gives the same network, run after run. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    const h = sha256(utf8ToBytes(seed));
    const view = new DataView(h.buffer, h.byteOffset, h.byteLength);
    this.a = view.getUint32(0);
    this.b = view.getUint32(4);
    this.c = view.getUint32(8);
    this.d = view.getUint32(12);
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** A key drawn by weight from `{ key: weight }`. */
  weighted<K extends string | number>(weights: ReadonlyMap<K, number>): K {
    let total = 0;
    for (const w of weights.values()) total += w;
    let r = this.next() * total;
    let last: K | undefined;
    for (const [k, w] of weights) {
      last = k;
      r -= w;
      if (r < 0) return k;
    }
    if (last === undefined) throw new RangeError('weighted pick from an empty map');
    return last;
  }

  /** `k` distinct integers from [0, n) (k is capped at n). */
  sample(n: number, k: number): number[] {
    const want = Math.min(k, n);
    const picked = new Set<number>();
    while (picked.size < want) picked.add(this.int(n));
    return [...picked];
  }

  /** 32 random bytes as hex, e.g. for payment hashes. */
  hex32(): string {
    const out = new Uint8Array(32);
    for (let i = 0; i < 32; i++) out[i] = this.int(256);
    return bytesToHex(out);
  }
}

/** Deterministic secret key number `i` for a seed (sha256 of a label; valid for secp256k1 in practice). */
export function deriveSecretKey(seed: string, label: string, i: number): Uint8Array {
  return sha256(utf8ToBytes(`relay-sim:${seed}:${label}:${i}`));
}
