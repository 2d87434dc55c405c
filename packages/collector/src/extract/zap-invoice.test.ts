import { createHash } from 'node:crypto';
import { encodeBolt11 } from '@nostr-info/relay-sim';
import { bech32 } from '@scure/base';
import { decode } from 'light-bolt11-decoder';
import { describe, expect, it } from 'vitest';
import { type InvoiceFacts, readInvoice } from './zap-invoice.js';

/** The same facts read through `light-bolt11-decoder`: the reference the reader must match. */
function reference(invoice: string): InvoiceFacts | undefined {
  try {
    const facts: InvoiceFacts = { network: undefined, msats: undefined, paymentHash: undefined };
    for (const section of decode(invoice).sections) {
      if (section.name === 'coin_network') facts.network = section.value?.bech32;
      else if (section.name === 'amount' && section.value !== undefined && section.value !== null)
        facts.msats = BigInt(section.value as string);
      else if (
        section.name === 'payment_hash' &&
        typeof section.value === 'string' &&
        /^[0-9a-f]{64}$/.test(section.value)
      )
        facts.paymentHash = section.value;
    }
    return facts;
  } catch {
    return undefined;
  }
}

/** A seeded generator (xorshift32), so a failure names an input that can be made again. */
function generator(seed: number): (below: number) => number {
  let s = seed >>> 0 || 1;
  return (below) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % below;
  };
}

const PREFIXES = [
  'lnbc',
  'lntb',
  'lntbs',
  'lnbcrt',
  'lnsb',
  'lnxy',
  'lnbc2500u',
  'lnbc21u',
  'lnbc10p',
  'lnbc11p',
  'lnbc1x',
  'lnbc0u',
  'lnbc1',
  'lnbcrt25m',
  'lntbs1500n',
  'lnbc99999999999999999999',
  'lnbc21000000000',
  'lnbc2100000000000',
  'lnbc3m4',
  'ln',
  'lnb',
];

/** Tag codes worth aiming at: read as bytes (1, 3, 16, 19, 23, 27), others, and unknown ones. */
const CODES = [1, 1, 1, 3, 16, 19, 23, 27, 13, 6, 24, 5, 9, 0, 31];

/** A checksummed invoice with random fields: the tag grammar, padding and truncation at random. */
function randomInvoice(next: (below: number) => number): string {
  const words: number[] = [];
  for (let i = 0; i < 7; i++) words.push(next(32));
  const fields = next(6);
  for (let f = 0; f < fields; f++) {
    const code = CODES[next(CODES.length)] as number;
    const length = code === 1 && next(2) === 0 ? 52 : next(5) === 0 ? next(1024) : next(80);
    words.push(code, length >> 5, length & 31);
    for (let i = 0; i < length; i++) words.push(next(32));
    // Often leave the padding bits clear, as a well-formed field has them.
    if (length > 0 && next(2) === 0) {
      const left = (length * 5) % 8;
      words[words.length - 1] = (words[words.length - 1] as number) & ~((1 << left) - 1) & 31;
    }
  }
  // Cut the body short now and then, so a field's length runs past the end.
  if (next(4) === 0) words.length = Math.max(0, words.length - next(20));
  const signature = next(8) === 0 ? next(104) : 104;
  for (let i = 0; i < signature; i++) words.push(next(32));
  const prefix = PREFIXES[next(PREFIXES.length)] as string;
  return bech32.encode(prefix, words, false);
}

describe('readInvoice against light-bolt11-decoder', () => {
  const key = new Uint8Array(createHash('sha256').update('zap-invoice:node').digest());

  it('reads what the reference reads from well-formed invoices', () => {
    const next = generator(7);
    for (let i = 0; i < 200; i++) {
      const paymentHash = createHash('sha256').update(`hash:${i}`).digest('hex');
      const network = ['bc', 'tb', 'tbs', 'bcrt'][i % 4] as string;
      const msats = BigInt(next(1_000_000)) * 1000n + (i % 3 === 0 ? BigInt(next(1000)) : 0n);
      const multiplier = (['m', 'u', 'n', 'p'] as const)[i % 3 === 0 ? 3 : next(3) + 1] as 'u' | 'n' | 'p';
      const whole = multiplier === 'u' ? msats - (msats % 100_000n) : msats;
      const invoice = encodeBolt11({
        msats: whole,
        multiplier,
        paymentHash,
        nodeSecretKey: key,
        network,
        descriptionHash: createHash('sha256').update(`request:${i}`).digest(),
      });
      const facts = readInvoice(invoice);
      expect(facts).toEqual(reference(invoice));
      expect(facts).toEqual({ network, msats: whole, paymentHash });
      expect(readInvoice(invoice.toUpperCase())).toEqual(facts);
    }
  });

  it('accepts and refuses exactly what the reference does', () => {
    const next = generator(2026);
    let readable = 0;
    let withHash = 0;
    for (let i = 0; i < 4000; i++) {
      const invoice = randomInvoice(next);
      const facts = readInvoice(invoice);
      expect(facts, invoice).toEqual(reference(invoice));
      if (facts) readable += 1;
      if (facts?.paymentHash) withHash += 1;
    }
    // The inputs reach both outcomes often, so agreement is not agreement on refusing everything.
    expect(readable).toBeGreaterThan(400);
    expect(withHash).toBeGreaterThan(50);
    expect(4000 - readable).toBeGreaterThan(400);
  });

  it('refuses broken strings as the reference does', () => {
    const valid = encodeBolt11({ msats: 21_000n, paymentHash: 'ab'.repeat(32), nodeSecretKey: key });
    const next = generator(99);
    const broken = [
      '',
      'ln',
      'lnbc1',
      'lnbc1garbage',
      'hello world',
      `${valid.slice(0, -1)}q`,
      `${valid.slice(0, 10)}${valid.slice(10).toUpperCase()}`,
      valid.replace('1', 'b'),
      `x${valid}`,
      `${valid.slice(0, 4)}\u0130${valid.slice(4)}`,
      valid.slice(0, 40),
    ];
    for (let i = 0; i < 300; i++) {
      const at = next(valid.length);
      broken.push(
        `${valid.slice(0, at)}${'qpzry9x8gf2tvdw0s3jn54khce6mua7l1bB'[next(35)]}${valid.slice(at + 1)}`,
      );
    }
    for (const invoice of broken) expect(readInvoice(invoice), invoice).toEqual(reference(invoice));
  });
});
