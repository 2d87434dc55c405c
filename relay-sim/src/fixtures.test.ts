import { decode } from 'light-bolt11-decoder';
import { describe, expect, it } from 'vitest';
import { BOLT11_MULTIPLIERS } from './bolt11.js';
import { corruptId, corruptSignature, makeEvent, makeZapReceipt } from './fixtures.js';
import { verifyNostrEvent } from './signer.js';
import { zapFacts } from './truth-derive.js';

describe('fixtures', () => {
  it('makes signed events and breaks them on purpose, keeping the id', () => {
    const ev = makeEvent({ kind: 1, content: 'hi', tags: [['client', 'Damus']], created_at: 1_700_000_000 });
    expect(verifyNostrEvent(ev)).toBe(true);
    const badSig = corruptSignature(ev);
    const badId = corruptId(ev);
    expect(badSig.id).toBe(ev.id);
    expect(badId.id).toBe(ev.id);
    expect(verifyNostrEvent(badSig)).toBe(false);
    expect(verifyNostrEvent(badId)).toBe(false);
  });

  it.each(BOLT11_MULTIPLIERS)('makes zap receipts with %s invoices of the intended amount', (multiplier) => {
    const sender = new Uint8Array(32).fill(9);
    const zap = makeZapReceipt({ sats: 200_000, multiplier });
    expect(verifyNostrEvent(zap)).toBe(true);
    expect(zap.kind).toBe(9735);
    const bolt11 = zap.tags.find((t) => t[0] === 'bolt11')?.[1] ?? '';
    const amount = decode(bolt11).sections.find((s) => s.name === 'amount');
    if (multiplier === 'none') expect(amount).toBeUndefined();
    else expect(amount && 'value' in amount ? amount.value : undefined).toBe('200000000');
    const facts = zapFacts(makeZapReceipt({ sats: 200_000, multiplier, sender, senderTag: false }));
    expect(facts.sender).toBe(makeEvent({ kind: 1, secret: sender }).pubkey);
    expect(facts.msats).toBe(multiplier === 'none' ? null : 200_000_000n);
  });
});
