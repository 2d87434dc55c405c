import { loadVerifier, type VerifierPreference } from './schnorr.js';

/** Bytes per item in a packed verification batch: id (32) + x-only pubkey (32) + signature (64). */
export const ITEM_BYTES = 128;

/** Writes one item into a packed batch at position `index`. */
export function packItem(target: Buffer, index: number, id: string, pubkey: string, sig: string): void {
  const o = index * ITEM_BYTES;
  target.write(id, o, 32, 'hex');
  target.write(pubkey, o + 32, 32, 'hex');
  target.write(sig, o + 64, 64, 'hex');
}

/**
 * Verifies the first `count` items of a packed batch on the calling thread: one result per item,
 * 1 = valid. The one batch loop, run by the verify workers and by the pool's inline fallback.
 * Throws a RangeError when `packed` is shorter than `count` items.
 */
export function verifyBatch(
  packed: Uint8Array,
  count: number,
  prefer: VerifierPreference = 'auto',
): Uint8Array<ArrayBuffer> {
  if (packed.byteLength < count * ITEM_BYTES) {
    throw new RangeError(
      `a batch of ${count} items needs ${count * ITEM_BYTES} bytes, got ${packed.byteLength}`,
    );
  }
  const { verify } = loadVerifier(prefer);
  // Buffer views, not plain Uint8Arrays: the native addon accepts only Buffers.
  const bytes = Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
  const results = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * ITEM_BYTES;
    results[i] = verify(
      bytes.subarray(o, o + 32),
      bytes.subarray(o + 32, o + 64),
      bytes.subarray(o + 64, o + 128),
    )
      ? 1
      : 0;
  }
  return results;
}
