import { describe, expect, it } from 'vitest';
import { CopyLedger } from './copy-ledger.js';

describe('CopyLedger', () => {
  it('keeps the first copy of an index and ignores later ones', () => {
    const ledger = new CopyLedger();
    expect(ledger.recordEmitted(3, 'bad-sig')).toBe(true);
    expect(ledger.recordEmitted(3, 'valid')).toBe(false);
    expect(ledger.emitted.get(3)).toBe('bad-sig');
  });

  it('counts a delivery once per index, in the state first written', () => {
    const ledger = new CopyLedger();
    ledger.recordDelivered(1, 'bad-id');
    ledger.recordDelivered(1, 'valid');
    expect([...ledger.delivered]).toEqual([[1, 'bad-id']]);
    expect(ledger.hasDelivered(1)).toBe(true);
    expect(ledger.hasDelivered(2)).toBe(false);
  });

  it('claims a valid copy for an index it does not hold, and the held state otherwise', () => {
    const ledger = new CopyLedger();
    ledger.recordEmitted(5, 'bad-id');
    expect(ledger.claimCopy(5)).toBe('bad-id');
    expect(ledger.claimCopy(6)).toBe('valid');
    expect(ledger.emitted.get(6)).toBe('valid');
    expect(ledger.delivered.size).toBe(0);
  });
});
