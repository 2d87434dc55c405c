import { pureSigner } from '@nostr-info/relay-sim';
import { describe, expect, it } from 'vitest';
import { loadVerifier } from '../verify/schnorr.js';
import { checkBackfillEvent } from './event-check.js';

const secret = new Uint8Array(32).fill(7);
const window = { since: 1_000, until: 2_000 };
const verifier = loadVerifier('wasm');
const profile = pureSigner.finalize(
  { kind: 0, created_at: 1_500, tags: [], content: '{"name":"a"}' },
  secret,
);

describe('checkBackfillEvent', () => {
  it('accepts a signed event of a backfilled kind inside the page window', () => {
    expect(checkBackfillEvent(profile, window, verifier)).toEqual({ event: profile });
    // Both ends of the window are inclusive, as NIP-01 filters are.
    const edge = pureSigner.finalize({ kind: 3, created_at: 2_000, tags: [], content: '' }, secret);
    expect(checkBackfillEvent(edge, window, verifier)).toEqual({ event: edge });
  });

  it('refuses by the first check failed: shape, kind, window, id, signature', () => {
    expect(checkBackfillEvent({ ...profile, kind: 'x' }, window, verifier)).toEqual({ reason: 'shape' });
    const note = pureSigner.finalize({ kind: 1, created_at: 1_500, tags: [], content: 'hi' }, secret);
    expect(checkBackfillEvent(note, window, verifier)).toEqual({ reason: 'kind' });
    const old = pureSigner.finalize({ kind: 0, created_at: 999, tags: [], content: '' }, secret);
    expect(checkBackfillEvent(old, window, verifier)).toEqual({ reason: 'window' });
    expect(checkBackfillEvent({ ...profile, content: '{"name":"b"}' }, window, verifier)).toEqual({
      reason: 'id',
    });
    const other = pureSigner.finalize(
      { kind: 0, created_at: 1_500, tags: [], content: '{"name":"b"}' },
      secret,
    );
    expect(checkBackfillEvent({ ...profile, sig: other.sig }, window, verifier)).toEqual({ reason: 'sig' });
  });
});
