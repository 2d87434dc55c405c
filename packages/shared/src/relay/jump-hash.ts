import { createHash } from 'node:crypto';

const MASK64 = (1n << 64n) - 1n;
const JUMP_MULTIPLIER = 2862933555777941757n;

/**
 * Jump consistent hash (Lamping & Veach, 2014): maps a 64-bit key to a bucket in [0, buckets).
 * Growing from N to N+1 buckets moves only ~1/(N+1) of the keys, all of them into the new bucket,
 * which is exactly how a StatefulSet scales (new ordinals at the top).
 */
export function jumpHash(key: bigint, buckets: number): number {
  if (!Number.isInteger(buckets) || buckets < 1)
    throw new RangeError(`buckets must be a positive integer, got ${buckets}`);
  let k = key & MASK64;
  let b = -1;
  let j = 0;
  while (j < buckets) {
    b = j;
    k = (k * JUMP_MULTIPLIER + 1n) & MASK64;
    // Same floating-point steps as the paper's C++, so every language computes the same owner.
    j = Math.floor((b + 1) * (2 ** 31 / (Number(k >> 33n) + 1)));
  }
  return b;
}

/** First 64 bits of SHA-256: stable across processes, platforms and releases. */
export function hash64(text: string): bigint {
  return createHash('sha256').update(text).digest().readBigUInt64BE(0);
}

/** The replica (0-based ordinal) that owns a normalised relay URL among `replicas`. */
export function ownerOf(normalizedUrl: string, replicas: number): number {
  return jumpHash(hash64(normalizedUrl), replicas);
}
