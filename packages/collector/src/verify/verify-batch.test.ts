import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { loadVerifier, type VerifierPreference } from './schnorr.js';
import { ITEM_BYTES, packItem, verifyBatch } from './verify-batch.js';

interface Row {
  id: string;
  pubkey: string;
  sig: string;
}

const sign = (content: string, createdAt = 1_700_000_000): Row =>
  finalizeEvent({ kind: 1, created_at: createdAt, tags: [], content }, generateSecretKey());

/** The hex string with the nibble at `at` flipped. */
const flip = (hex: string, at: number) =>
  hex.slice(0, at) + (Number.parseInt(hex[at] ?? '0', 16) ^ 1).toString(16) + hex.slice(at + 1);

const pack = (rows: Row[]): Buffer => {
  const packed = Buffer.alloc(rows.length * ITEM_BYTES);
  for (const [i, r] of rows.entries()) packItem(packed, i, r.id, r.pubkey, r.sig);
  return packed;
};

describe('verifyBatch', () => {
  for (const prefer of ['auto', 'wasm'] satisfies VerifierPreference[]) {
    it(`answers valid, bad id, bad signature and bad pubkey per item (${prefer})`, () => {
      const e = sign('batch');
      const rows = [
        e,
        { ...e, id: flip(e.id, 5) },
        { ...e, sig: flip(e.sig, 70) },
        { ...e, pubkey: flip(e.pubkey, 9) },
      ];
      expect([...verifyBatch(pack(rows), rows.length, prefer)]).toEqual([1, 0, 0, 0]);
    });
  }

  it('reads a batch from a view into a larger buffer, and only `count` items of it', () => {
    const rows = [sign('x'), sign('a'), sign('b'), { ...sign('c'), sig: '0'.repeat(128) }];
    const view = new Uint8Array(pack(rows).buffer.slice(0), ITEM_BYTES, 3 * ITEM_BYTES);
    expect([...verifyBatch(view, 3)]).toEqual([1, 1, 0]);
    expect([...verifyBatch(view, 2)]).toEqual([1, 1]);
  });

  it('throws on a batch shorter than its count', () => {
    expect(() => verifyBatch(new Uint8Array(ITEM_BYTES), 2)).toThrow(RangeError);
    expect(() => verifyBatch(new Uint8Array(0), 1)).toThrow(RangeError);
    expect([...verifyBatch(new Uint8Array(0), 0)]).toEqual([]);
  });
});

describe('BIP-340 verifiers', () => {
  it('the native and WASM verifiers agree on valid, forged and malformed signatures', () => {
    const rows: Row[] = [];
    for (let i = 0; i < 40; i++) {
      const e = sign(`a${i}`, 1_700_000_000 + i);
      rows.push(e);
      rows.push({ ...e, sig: flip(e.sig, i % 128) });
      rows.push({ ...e, id: flip(e.id, i % 64) });
      rows.push({ ...e, pubkey: flip(e.pubkey, i % 64) });
    }
    // Out-of-range values: pubkey x >= p, r >= p, s >= n, all zero.
    const e = rows[0] ?? { id: '', pubkey: '', sig: '' };
    rows.push({ ...e, pubkey: 'f'.repeat(64) });
    rows.push({ ...e, sig: 'f'.repeat(64) + e.sig.slice(64) });
    rows.push({ ...e, sig: e.sig.slice(0, 64) + 'f'.repeat(64) });
    rows.push({ ...e, sig: '0'.repeat(128) });
    rows.push({ ...e, pubkey: '0'.repeat(64) });
    const packed = pack(rows);
    const native = verifyBatch(packed, rows.length, 'auto');
    const wasm = verifyBatch(packed, rows.length, 'wasm');
    // The workspace builds the addon at install (onlyBuiltDependencies).
    expect(loadVerifier('auto').name).toBe('libsecp256k1-native');
    expect(loadVerifier('wasm').name).toBe('libsecp256k1-wasm');
    expect([...native]).toEqual([...wasm]);
    // Every fourth row is an untouched valid event; the rest and the malformed rows are invalid.
    expect([...native].filter((v) => v === 1).length).toBe(40);
  });
});
