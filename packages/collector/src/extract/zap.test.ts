import { createHash } from 'node:crypto';
import { buildZap, encodeBolt11, pureSigner } from '@nostr-info/relay-sim';
import { describe, expect, it } from 'vitest';
import { makeInvoice } from '../../test/helpers/bolt11.js';
import type { NostrEvent } from '../protocol/event.js';
import { bolt11Msats, readZapReceipt, satsOf } from './zap.js';
import { readInvoice } from './zap-invoice.js';
import { lightningAddressOf } from './zap-profile.js';

const key = (label: string, i = 0) =>
  new Uint8Array(createHash('sha256').update(`zap-unit:${label}:${i}`).digest());
const receiver = pureSigner.publicKey(key('receiver'));
const now = 1_750_000_000;
const zap = (o: Partial<Parameters<typeof buildZap>[0]> = {}) =>
  buildZap({
    sender: key('sender'),
    receiver,
    provider: key('provider'),
    msats: 21_000n,
    createdAt: now,
    ...o,
  });
/** The receipt with its tags changed, re-signed by the provider. */
const retag = (receipt: NostrEvent, edit: (tags: string[][]) => string[][]) =>
  pureSigner.finalize(
    { kind: 9735, created_at: receipt.created_at, tags: edit(receipt.tags), content: '' },
    key('provider'),
  );
const setTag = (name: string, value: string | undefined) => (tags: string[][]) =>
  value === undefined
    ? tags.filter((t) => t[0] !== name)
    : tags.some((t) => t[0] === name)
      ? tags.map((t) => (t[0] === name ? [name, value] : t))
      : [...tags, [name, value]];

describe('bolt11 invoices', () => {
  it('applies every multiplier', () => {
    expect(bolt11Msats(makeInvoice('2m'))).toBe(200_000_000n); // 0.002 BTC = 200,000 sats
    expect(bolt11Msats(makeInvoice('21u'))).toBe(2_100_000n);
    expect(bolt11Msats(makeInvoice('1500n'))).toBe(150_000n);
    expect(bolt11Msats(makeInvoice('10p'))).toBe(1n); // 1 msat
    expect(bolt11Msats(makeInvoice('1'))).toBe(100_000_000_000n); // 1 BTC, no multiplier
  });

  it('has no amount for amountless or broken invoices', () => {
    expect(bolt11Msats(makeInvoice(''))).toBeUndefined();
    expect(bolt11Msats('lnbc1garbage')).toBeUndefined();
    expect(bolt11Msats(`${makeInvoice('21u').slice(0, -1)}q`)).toBeUndefined();
  });

  it('reads the network and the payment hash', () => {
    const paymentHash = 'ab'.repeat(32);
    for (const network of ['bc', 'tb', 'tbs', 'bcrt']) {
      const invoice = encodeBolt11({ msats: 21_000n, paymentHash, nodeSecretKey: key('node'), network });
      expect(readInvoice(invoice)).toEqual({ network, msats: 21_000n, paymentHash });
    }
  });
});

describe('readZapReceipt (NIP-57 checks without signatures or the network)', () => {
  it('reads an honest zap: sender from the request, receiver, amount, payment hash', () => {
    const z = zap({ msats: 1_500n, multiplier: 'p' });
    const r = readZapReceipt(z.receipt);
    expect(r).toMatchObject({
      reason: undefined,
      sender: z.request.pubkey,
      receiver,
      msats: 1_500n,
      paymentHash: z.paymentHash,
    });
    expect(r.request?.event.id).toBe(z.request.id);
    expect(satsOf(r.msats)).toEqual({ sats: 1, extraMsats: 500 });
  });

  it('takes every anonymous zap as one sender, not the throwaway key', () => {
    expect(readZapReceipt(zap({ anon: true }).receipt).sender).toBe('anonymous');
  });

  it('rejects a receipt without a zap request (no_request)', () => {
    const r = readZapReceipt(retag(zap().receipt, setTag('description', undefined)));
    expect(r).toMatchObject({ reason: 'no_request', request: undefined });
  });

  it('rejects a request that is not a well-formed kind 9734 (bad_request)', () => {
    const z = zap({ eventId: 'aa'.repeat(32) });
    const req = z.request;
    const variants = [
      '{not json',
      JSON.stringify({ ...req, kind: 1 }),
      JSON.stringify({ ...req, content: 'changed after signing' }),
      JSON.stringify(
        pureSigner.finalize(
          {
            ...req,
            tags: [
              ['p', receiver],
              ['p', receiver],
            ],
          },
          key('sender'),
        ),
      ),
      JSON.stringify(
        pureSigner.finalize(
          {
            ...req,
            tags: [
              ['p', receiver],
              ['amount', '21k'],
            ],
          },
          key('sender'),
        ),
      ),
      JSON.stringify(
        pureSigner.finalize(
          {
            ...req,
            tags: [
              ['p', receiver],
              ['e', 'aa'.repeat(32)],
              ['e', 'bb'.repeat(32)],
            ],
          },
          key('sender'),
        ),
      ),
    ];
    for (const description of variants) {
      expect(readZapReceipt(retag(z.receipt, setTag('description', description))).reason, description).toBe(
        'bad_request',
      );
    }
  });

  it('leaves the signature to the caller: a forged one reads clean here', () => {
    const z = zap();
    const forged = { ...z.request, sig: `${z.request.sig.slice(0, -1)}0` };
    const r = readZapReceipt(retag(z.receipt, setTag('description', JSON.stringify(forged))));
    expect(r.reason).toBeUndefined();
    expect(r.request?.event.sig).toBe(forged.sig);
  });

  it('rejects a receipt for another recipient or event (recipient_mismatch)', () => {
    const z = zap({ eventId: 'aa'.repeat(32) });
    expect(readZapReceipt(retag(z.receipt, setTag('p', 'cc'.repeat(32)))).reason).toBe('recipient_mismatch');
    expect(readZapReceipt(retag(z.receipt, setTag('e', 'bb'.repeat(32)))).reason).toBe('recipient_mismatch');
    expect(readZapReceipt(retag(z.receipt, setTag('e', undefined))).reason).toBe('recipient_mismatch');
  });

  it('rejects unreadable, amountless and over-1-BTC invoices (implausible)', () => {
    const z = zap();
    for (const bolt11 of [undefined, 'lnbc210n1notaninvoice', makeInvoice('')])
      expect(readZapReceipt(retag(z.receipt, setTag('bolt11', bolt11))).reason).toBe('implausible');
    const big = zap({ msats: 200_000_000_000n, multiplier: 'm' });
    expect(readZapReceipt(big.receipt)).toMatchObject({ reason: 'implausible', msats: undefined });
    expect(readZapReceipt(zap({ msats: 100_000_000_000n, multiplier: 'm' }).receipt).reason).toBeUndefined();
  });

  it('rejects test-network invoices (not_mainnet)', () => {
    for (const network of ['tb', 'tbs', 'bcrt'])
      expect(readZapReceipt(zap({ network }).receipt).reason).toBe('not_mainnet');
  });

  it('rejects an invoice for another amount than the request asked (amount_mismatch)', () => {
    expect(readZapReceipt(zap({ requestAmount: 20_000n }).receipt)).toMatchObject({
      reason: 'amount_mismatch',
      msats: 21_000n,
    });
    expect(readZapReceipt(zap({ requestAmount: null }).receipt).reason).toBeUndefined();
  });
});

describe('lightningAddressOf', () => {
  it('reads lud16 and lud06 from profile content', () => {
    expect(
      lightningAddressOf(JSON.stringify({ lud16: ' Alice@Wallet.Example ', lud06: 'LNURL1abc' })),
    ).toEqual({
      lud16: 'alice@wallet.example',
      lud06: 'lnurl1abc',
    });
    for (const content of ['', 'not json', '[]', '{"lud16":5}', JSON.stringify({ lud16: 'x'.repeat(400) })])
      expect(lightningAddressOf(content)).toEqual({ lud16: null, lud06: null });
  });
});
