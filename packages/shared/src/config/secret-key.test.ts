import { describe, expect, it } from 'vitest';
import { parseSecretKey, SecretKeyError } from './secret-key.js';

// NIP-19's own example pair: the hex key and its nsec encoding.
const HEX = '67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa';
const NSEC = 'nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5';

describe('parseSecretKey', () => {
  it('reads 64 hex digits in either case', () => {
    expect(parseSecretKey(HEX)).toBe(HEX);
    expect(parseSecretKey(` ${HEX.toUpperCase()} `)).toBe(HEX);
  });

  it('decodes an nsec to the same key', () => {
    expect(parseSecretKey(NSEC)).toBe(HEX);
  });

  it.each([
    ['too short', HEX.slice(2)],
    ['not hex', `${HEX.slice(1)}g`],
    ['an npub', 'npub180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsyjh6w6'],
    ['a broken checksum', `${NSEC.slice(0, -1)}6`],
    ['zero', '0'.repeat(64)],
    ['the curve order', 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'],
  ])('refuses %s without repeating it', (_, value) => {
    expect(() => parseSecretKey(value)).toThrow(SecretKeyError);
    try {
      parseSecretKey(value);
    } catch (err) {
      expect((err as Error).message).not.toContain(value.slice(8, 40));
    }
  });
});
