import { verifySchnorr } from 'tiny-secp256k1';

/** Bytes per item in a packed verification batch: id (32) + x-only pubkey (32) + signature (64). */
export const ITEM_BYTES = 128;

/**
 * BIP-340 verification with libsecp256k1 compiled to WASM (tiny-secp256k1), the fastest of the
 * verifiers measured in `bench/verifiers.ts`. Malformed keys throw inside the library: invalid.
 */
export function verifyPacked(packed: Uint8Array, count: number): Uint8Array {
  const results = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * ITEM_BYTES;
    try {
      results[i] = verifySchnorr(
        packed.subarray(o, o + 32),
        packed.subarray(o + 32, o + 64),
        packed.subarray(o + 64, o + 128),
      )
        ? 1
        : 0;
    } catch {
      results[i] = 0;
    }
  }
  return results;
}

/** Writes one item into a packed batch at position `index`. */
export function packItem(target: Buffer, index: number, id: string, pubkey: string, sig: string): void {
  const o = index * ITEM_BYTES;
  target.write(id, o, 32, 'hex');
  target.write(pubkey, o + 32, 32, 'hex');
  target.write(sig, o + 64, 64, 'hex');
}
