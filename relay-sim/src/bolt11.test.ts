import { decode } from 'light-bolt11-decoder';
import { describe, expect, it } from 'vitest';
import { BOLT11_MULTIPLIERS, bolt11AmountString, bolt11Msats, encodeBolt11 } from './bolt11.js';
import { deriveSecretKey } from './rng.js';

const node = deriveSecretKey('bolt11-test', 'node', 0);
const hash = 'ab'.repeat(32);

function decodedMsats(invoice: string): string | null {
  const amount = decode(invoice).sections.find((s) => s.name === 'amount');
  return amount && 'value' in amount ? String(amount.value) : null;
}

describe('bolt11 encoder', () => {
  it.each([
    ['m', 100_000n * 1000n, '1m'],
    ['m', 2_500_000n * 1000n, '25m'],
    ['u', 2100n * 1000n, '21u'],
    ['n', 21n * 1000n, '210n'],
    ['n', 1000n, '10n'],
    ['p', 21n * 1000n, '210000p'],
    ['p', 1000n, '10000p'],
  ] as const)('writes %s amounts the decoder reads back (%s msat)', (multiplier, msats, hrpAmount) => {
    const inv = encodeBolt11({
      msats,
      multiplier,
      paymentHash: hash,
      description: 'zap',
      nodeSecretKey: node,
    });
    expect(inv.startsWith(`lnbc${hrpAmount}1`)).toBe(true);
    expect(decodedMsats(inv)).toBe(msats.toString());
    expect(bolt11Msats(inv)).toBe(msats);
  });

  it('writes invoices without an amount', () => {
    const inv = encodeBolt11({
      multiplier: 'none',
      paymentHash: hash,
      description: 'x',
      nodeSecretKey: node,
    });
    expect(inv.startsWith('lnbc1')).toBe(true);
    expect(decodedMsats(inv)).toBeNull();
    expect(bolt11Msats(inv)).toBeNull();
  });

  it('carries timestamp, payment hash and description hash the decoder understands', () => {
    const descriptionHash = new Uint8Array(32).fill(7);
    const inv = encodeBolt11({
      msats: 5_000_000n,
      multiplier: 'u',
      timestamp: 1_700_000_000,
      paymentHash: hash,
      descriptionHash,
      nodeSecretKey: node,
    });
    const sections = decode(inv).sections;
    const get = (name: string) => sections.find((s) => s.name === name) as { value?: unknown } | undefined;
    expect(get('timestamp')?.value).toBe(1_700_000_000);
    expect(get('payment_hash')?.value).toBe(hash);
    expect(get('description_hash')?.value).toBe('07'.repeat(32));
  });

  it('refuses amounts a multiplier cannot express', () => {
    expect(() => bolt11AmountString(1n, 'm')).toThrow();
    expect(() => bolt11AmountString(1n, 'p')).not.toThrow();
    expect(bolt11AmountString(1n, 'p')).toBe('10p');
    expect(BOLT11_MULTIPLIERS).toContain('none');
  });

  it('reads no amount from strings that are not invoices', () => {
    expect(bolt11Msats('lnbc1notaninvoice')).toBeUndefined();
    expect(bolt11Msats('hello')).toBeUndefined();
  });
});
