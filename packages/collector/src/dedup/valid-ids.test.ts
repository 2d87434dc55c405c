import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValidIds } from './valid-ids.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const digestOf = (s: string) => createHash('sha256').update(s).digest();

describe('ValidIds', () => {
  it('holds an entry in about 120 bytes', () => {
    const ids = new ValidIds(150_000);
    expect(ids.bytes / 150_000).toBeLessThan(125);
    // A digest that differs only past the bytes kept still differs where it is kept: a digest is
    // a SHA-256, so two copies share their first 16 bytes only with probability 2^-128.
    const id = hex(32);
    const digest = digestOf('x');
    ids.add(id, hex(64), 1, 1, digest);
    const other = Buffer.from(digest);
    other[0] = (other[0] ?? 0) ^ 1;
    expect(ids.digestEquals(ids.find(id), other)).toBe(false);
  });

  it('keeps the signature, digest, kind, created_at and credited relays of an id', () => {
    const ids = new ValidIds(100);
    const id = hex(32);
    const sig = hex(64);
    const digest = digestOf('a');
    expect(ids.find(id)).toBe(-1);
    expect(ids.add(id, sig, 30023, 1_700_000_123, digest)).toBe(true);
    expect(ids.add(id, hex(64), 1, 1, digest)).toBe(false);
    const e = ids.find(id);
    expect(e).toBeGreaterThanOrEqual(0);
    expect(ids.kind(e)).toBe(30023);
    expect(ids.createdAt(e)).toBe(1_700_000_123);
    expect(ids.sigEquals(e, sig)).toBe(true);
    expect(ids.sigEquals(e, `${sig.slice(0, 127)}${sig[127] === '0' ? '1' : '0'}`)).toBe(false);
    // Hex is compared as written on the wire: lower case only.
    expect(ids.sigEquals(e, sig.toUpperCase())).toBe(false);
    expect(ids.digestEquals(e, digest)).toBe(true);
    expect(ids.digestEquals(e, digestOf('b'))).toBe(false);
    expect(ids.digestEquals(e, undefined)).toBe(false);
    // More relays than fit inline.
    const relays = Array.from({ length: 20 }, (_, i) => 1000 + i * 3);
    for (const r of relays) {
      expect(ids.credited(e, r)).toBe(false);
      ids.credit(e, r);
      expect(ids.credited(e, r)).toBe(true);
    }
    for (const r of relays) expect(ids.credited(e, r)).toBe(true);
    expect(ids.credited(e, 1001)).toBe(false);
    // An id that is not lower-case hex is never stored nor found.
    expect(ids.add('Z'.repeat(64), sig, 1, 1, digest)).toBe(false);
    expect(ids.find(id.toUpperCase())).toBe(-1);
  });

  it('an entry without a digest never matches one', () => {
    const ids = new ValidIds(10);
    const id = hex(32);
    ids.add(id, hex(64), 1, 1, undefined);
    expect(ids.digestEquals(ids.find(id), Buffer.alloc(32))).toBe(false);
  });

  it('forgets the oldest first and finds exactly the newest `max`, with colliding index slots', () => {
    const max = 500;
    const ids = new ValidIds(max);
    const order: string[] = [];
    const sigs = new Map<string, string>();
    // A quarter of the ids share their first 32 bits with an earlier one: long probe chains,
    // and deletions from the middle of them as the oldest are forgotten.
    for (let i = 0; i < 20_000; i++) {
      const earlier = order[order.length - 1 - (i % 7)];
      const id = i % 4 === 0 && earlier ? earlier.slice(0, 8) + hex(28) : hex(32);
      const sig = hex(64);
      expect(ids.add(id, sig, i % 65536, i, undefined)).toBe(true);
      order.push(id);
      sigs.set(id, sig);
      if (i % 997 === 0 || i > 19_900) {
        const kept = order.slice(-max);
        for (const k of kept) {
          const e = ids.find(k);
          expect(e).toBeGreaterThanOrEqual(0);
          expect(ids.sigEquals(e, sigs.get(k) ?? '')).toBe(true);
        }
        for (const gone of order.slice(Math.max(0, order.length - 3 * max), -max))
          expect(ids.find(gone)).toBe(-1);
        expect(ids.size).toBe(Math.min(max, order.length));
      }
    }
  });
});
