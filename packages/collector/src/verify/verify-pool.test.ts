import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { afterAll, describe, expect, it } from 'vitest';
import { VerifyPool } from './verify-pool.js';

describe('VerifyPool', () => {
  const pool = new VerifyPool({ workers: 2, batchSize: 16 });
  afterAll(() => pool.close());

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
