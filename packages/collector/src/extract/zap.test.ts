import { describe, expect, it } from 'vitest';
import { makeInvoice } from '../../test/helpers/bolt11.js';
import type { NostrEvent } from '../protocol/event.js';
import { bolt11Msats, readZapReceipt } from './zap.js';

const SENDER = '1'.repeat(64);
const RECEIVER = '2'.repeat(64);
const SERVER = '3'.repeat(64);

function receipt(tags: string[][]): NostrEvent {
  return {
    id: '0'.repeat(64),
    pubkey: SERVER,
    created_at: 1,
    kind: 9735,
    tags,
    content: '',
    sig: '0'.repeat(128),
  };
}

describe('bolt11 amounts', () => {
  it('applies every multiplier', () => {
    expect(bolt11Msats(makeInvoice('2m'))).toBe(200_000_000n); // 0.002 BTC = 200,000 sats
    expect(bolt11Msats(makeInvoice('2500u'))).toBe(250_000_000n); // 250,000 sats
    expect(bolt11Msats(makeInvoice('21u'))).toBe(2_100_000n); // 2,100 sats
    expect(bolt11Msats(makeInvoice('10n'))).toBe(1_000n); // 1 sat
    expect(bolt11Msats(makeInvoice('1500n'))).toBe(150_000n); // 150 sats
    expect(bolt11Msats(makeInvoice('10p'))).toBe(1n); // 1 msat
    expect(bolt11Msats(makeInvoice('1'))).toBe(100_000_000_000n); // 1 BTC, no multiplier
  });

  it('has no amount for amountless or broken invoices', () => {
    expect(bolt11Msats(makeInvoice(''))).toBeUndefined();
    expect(bolt11Msats('lnbc1garbage')).toBeUndefined();
    expect(bolt11Msats(`${makeInvoice('21u').slice(0, -1)}q`)).toBeUndefined();
  });
});

describe('readZapReceipt', () => {
  it('reads amount, sender from P and receiver from p', () => {
    const r = readZapReceipt(
      receipt([
        ['p', RECEIVER],
        ['P', SENDER],
        ['bolt11', makeInvoice('21u')],
      ]),
    );
    expect(r).toEqual({
      ok: true,
      sats: 2100,
      extraMsats: 0,
      msats: 2_100_000n,
      sender: SENDER,
      receiver: RECEIVER,
    });
  });

  it('keeps the parts of a sat an invoice carries', () => {
    expect(readZapReceipt(receipt([['bolt11', makeInvoice('215n')]]))).toMatchObject({
      ok: true,
      sats: 21,
      extraMsats: 500,
    });
    expect(readZapReceipt(receipt([['bolt11', makeInvoice('12340p')]]))).toMatchObject({
      ok: true,
      sats: 1,
      extraMsats: 234,
    });
  });

  it('falls back to the embedded zap request for the sender', () => {
    const description = JSON.stringify({ pubkey: SENDER, kind: 9734, tags: [['amount', '2100000']] });
    const r = readZapReceipt(
      receipt([
        ['p', RECEIVER],
        ['bolt11', makeInvoice('21u')],
        ['description', description],
      ]),
    );
    expect(r.ok && r.sender).toBe(SENDER);
  });

  it('flags implausible amounts and amount mismatches instead of summing them', () => {
    expect(readZapReceipt(receipt([['bolt11', makeInvoice('5')]]))).toMatchObject({
      ok: false,
      problem: 'flagged',
    });
    // 1 BTC is the limit; a millisatoshi above it is past it.
    expect(readZapReceipt(receipt([['bolt11', makeInvoice('1')]]))).toMatchObject({ ok: true });
    expect(readZapReceipt(receipt([['bolt11', makeInvoice('1000000000010p')]]))).toMatchObject({
      ok: false,
      problem: 'flagged',
    });
    const description = JSON.stringify({ pubkey: SENDER, tags: [['amount', '1000']] });
    expect(
      readZapReceipt(
        receipt([
          ['bolt11', makeInvoice('21u')],
          ['description', description],
        ]),
      ),
    ).toMatchObject({
      ok: false,
      problem: 'flagged',
    });
  });

  it('marks receipts without a readable amount', () => {
    expect(readZapReceipt(receipt([['p', RECEIVER]]))).toMatchObject({
      ok: false,
      problem: 'invalid_bolt11',
    });
    expect(readZapReceipt(receipt([['bolt11', makeInvoice('')]]))).toMatchObject({
      problem: 'invalid_bolt11',
    });
  });
});
