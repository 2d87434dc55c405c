import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { afterAll, describe, expect, it } from 'vitest';
import { ITEM_BYTES, loadVerifier, packItem, verifyPacked } from './schnorr.js';
import { autoWorkers, VerifyPool } from './verify-pool.js';

describe('VerifyPool', () => {
  const pool = new VerifyPool({ workers: 2, batchSize: 16 });
  afterAll(() => pool.close());

  it('uses the native libsecp256k1 addon on every thread when it is built', async () => {
    // The workspace builds the addon at install (onlyBuiltDependencies); a missing build would
    // silently cost most of the verification throughput.
    expect(pool.backend).toBe('libsecp256k1-native');
    // Each worker reports its verifier once it has loaded it.
    await pool.ready();
    expect(pool.workerBackends).toEqual(['libsecp256k1-native', 'libsecp256k1-native']);
  });

  it('verifies BIP-340 signatures on worker threads', async () => {
    const events = Array.from({ length: 50 }, (_, i) =>
      finalizeEvent(
        { kind: 1, created_at: 1_700_000_000 + i, tags: [], content: `n${i}` },
        generateSecretKey(),
      ),
    );
    const forged = events.map((e, i) =>
      i % 5 === 0 ? { ...e, sig: events[(i + 1) % 50]?.sig ?? e.sig } : e,
    );
    const results = await Promise.all(forged.map((e) => pool.verify(e)));
    for (const [i, ok] of results.entries()) expect(ok).toBe(i % 5 !== 0);
  });

  it('treats a pubkey that is not on the curve as invalid', async () => {
    const e = finalizeEvent({ kind: 1, created_at: 1, tags: [], content: '' }, generateSecretKey());
    expect(await pool.verify({ ...e, pubkey: 'f'.repeat(64) })).toBe(false);
  });
});

describe('BIP-340 verifiers', () => {
  it('the native and WASM verifiers agree on valid, forged and malformed signatures', () => {
    const rows: { id: string; pubkey: string; sig: string }[] = [];
    for (let i = 0; i < 40; i++) {
      const e = finalizeEvent(
        { kind: 1, created_at: 1_700_000_000 + i, tags: [], content: `a${i}` },
        generateSecretKey(),
      );
      rows.push(e);
      const flip = (hex: string, at: number) =>
        hex.slice(0, at) + (Number.parseInt(hex[at] ?? '0', 16) ^ 1).toString(16) + hex.slice(at + 1);
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
    const packed = Buffer.alloc(rows.length * ITEM_BYTES);
    for (const [i, r] of rows.entries()) packItem(packed, i, r.id, r.pubkey, r.sig);
    const native = verifyPacked(packed, rows.length, 'auto');
    const wasm = verifyPacked(packed, rows.length, 'wasm');
    expect(loadVerifier('auto').name).toBe('libsecp256k1-native');
    expect(loadVerifier('wasm').name).toBe('libsecp256k1-wasm');
    expect([...native]).toEqual([...wasm]);
    // Every fourth row is an untouched valid event; the rest and the malformed rows are invalid.
    expect([...native].filter((v) => v === 1).length).toBe(40);
  });
});

describe('VerifyPool shutdown', () => {
  it('closes right after start without tearing a worker down inside the native addon', async () => {
    // A worker terminated while it loads the addon aborts the process; close() must wait for a
    // safe point. Several pools closed at once while their workers are still starting.
    for (let round = 0; round < 5; round++) {
      const pools = Array.from({ length: 3 }, () => new VerifyPool({ workers: 2 }));
      await Promise.all(pools.map((p) => p.close()));
      for (const p of pools) expect(p.workerBackends.length).toBeLessThanOrEqual(2);
    }
    // The process survived; a closed pool still answers, on the calling thread.
    const closed = new VerifyPool({ workers: 1 });
    await closed.close();
    const e = finalizeEvent(
      { kind: 1, created_at: 2, tags: [], content: 'after close' },
      generateSecretKey(),
    );
    expect(await closed.verify(e)).toBe(true);
  });
});

describe('autoWorkers', () => {
  it('gives the native verifier one worker per two cores (1 to 4) and the WASM one every core', () => {
    expect([1, 2, 3, 4, 8, 16].map((c) => autoWorkers('libsecp256k1-native', c))).toEqual([1, 1, 1, 2, 4, 4]);
    expect([1, 2, 8].map((c) => autoWorkers('libsecp256k1-wasm', c))).toEqual([1, 2, 8]);
  });
});
