import { describe, expect, it } from 'vitest';
import { hash64, jumpHash, ownerOf } from './jump-hash.js';
import { normalizeRelayUrl } from './normalize-url.js';
import { readRelayList } from './seed-relays.js';

/** Deterministic PRNG (mulberry32), so the "random" URLs are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomUrls(count: number, seed = 42): string[] {
  const rand = prng(seed);
  const word = () => Math.floor(rand() * 36 ** 8).toString(36);
  const tlds = ['com', 'io', 'net', 'org', 'social', 'nostr'];
  const urls = new Set<string>();
  while (urls.size < count) {
    const path = rand() < 0.2 ? `/${word()}` : '';
    urls.add(`wss://${word()}.${word()}.${tlds[Math.floor(rand() * tlds.length)]}${path}`);
  }
  return [...urls];
}

const SEEDS = [...new Set(readRelayList().map((url) => normalizeRelayUrl(url)))];
const RANDOM = randomUrls(10_000);

function counts(urls: readonly string[], buckets: number): number[] {
  const out = new Array<number>(buckets).fill(0);
  for (const url of urls) {
    const b = ownerOf(url, buckets);
    out[b] = (out[b] ?? 0) + 1;
  }
  return out;
}

/**
 * With a good hash, a bucket's count is Binomial(n, 1/N): mean n/N, sd sqrt(n·(1/N)·(1-1/N)).
 * Allowing mean ± 4 sd keeps the chance that any of 10 fair buckets falls outside below 1e-3,
 * while a skew such as "everything in bucket 0" or a bucket left empty fails at once. The inputs
 * are fixed (seed list and a seeded PRNG), so the test is deterministic either way.
 */
function expectBalanced(urls: readonly string[], buckets: number): void {
  const n = urls.length;
  const mean = n / buckets;
  const sd = Math.sqrt(n * (1 / buckets) * (1 - 1 / buckets));
  const c = counts(urls, buckets);
  expect(c.reduce((a, b) => a + b, 0)).toBe(n);
  for (const count of c) {
    expect(count).toBeGreaterThanOrEqual(mean - 4 * sd);
    expect(count).toBeLessThanOrEqual(mean + 4 * sd);
  }
}

describe('jumpHash', () => {
  it('matches the reference implementation (Lamping & Veach; ClickHouse jumpConsistentHash)', () => {
    expect(jumpHash(1n, 1)).toBe(0);
    expect(jumpHash(42n, 57)).toBe(43);
    expect(jumpHash(256n, 1024)).toBe(520);
    expect(jumpHash(3735883980n, 1)).toBe(0);
    expect(jumpHash(3735883980n, 666)).toBe(361);
    expect(jumpHash(16045690984833335023n, 255)).toBe(237);
    expect([0n, 1n, 2n].map((k) => jumpHash(k, 60))).toEqual([0, 55, 46]);
  });

  it('always answers a bucket in [0, N) and refuses N < 1', () => {
    for (const n of [1, 2, 7, 64, 1000]) {
      for (const url of RANDOM.slice(0, 500)) {
        const b = ownerOf(url, n);
        expect(Number.isInteger(b) && b >= 0 && b < n).toBe(true);
      }
    }
    expect(ownerOf('wss://relay.damus.io', 1)).toBe(0);
    expect(() => jumpHash(1n, 0)).toThrow(RangeError);
    expect(() => jumpHash(1n, 2.5)).toThrow(RangeError);
  });

  it('uses only the low 64 bits of the key', () => {
    expect(jumpHash((1n << 64n) + 42n, 57)).toBe(jumpHash(42n, 57));
  });

  it.each([3, 4, 10])('balances the %i-replica split of the seed list and of 10,000 random URLs', (n) => {
    expect(SEEDS.length).toBeGreaterThan(200);
    expectBalanced(SEEDS, n);
    expectBalanced(RANDOM, n);
  });

  it.each([1, 2, 3, 4, 9, 10])(
    'growing from %i replicas moves ~1/(N+1) of the relays, all to the new one',
    (n) => {
      for (const urls of [RANDOM, SEEDS]) {
        let moved = 0;
        for (const url of urls) {
          const before = ownerOf(url, n);
          const after = ownerOf(url, n + 1);
          if (after !== before) {
            moved += 1;
            // Never between old replicas: only into the new top ordinal.
            expect(after).toBe(n);
          }
        }
        const p = 1 / (n + 1);
        const sd = Math.sqrt(urls.length * p * (1 - p));
        expect(moved).toBeGreaterThanOrEqual(urls.length * p - 4 * sd);
        expect(moved).toBeLessThanOrEqual(urls.length * p + 4 * sd);
      }
    },
  );

  it('shrinking moves only the removed replica’s relays', () => {
    for (const url of RANDOM.slice(0, 2000)) {
      const before = ownerOf(url, 5);
      if (before !== 4) expect(ownerOf(url, 4)).toBe(before);
    }
  });
});

describe('hash64 and ownerOf', () => {
  it('keep known values (a change would re-shard every deployment)', () => {
    // First 8 bytes of SHA-256, as `printf %s URL | sha256sum | cut -c1-16` prints them.
    expect(hash64('wss://relay.damus.io').toString(16)).toBe('549f7241cefd677c');
    expect(hash64('wss://nos.lol').toString(16)).toBe('bae52b1825836341');
    expect(hash64('wss://relay.nostr.band').toString(16)).toBe('8f6084e75358acb9');
    expect([1, 2, 3, 4, 10].map((n) => ownerOf('wss://relay.damus.io', n))).toEqual([0, 0, 2, 2, 2]);
    expect([1, 2, 3, 4, 10].map((n) => ownerOf('wss://nos.lol', n))).toEqual([0, 0, 2, 3, 4]);
    expect([1, 2, 3, 4, 10].map((n) => ownerOf('wss://relay.nostr.band', n))).toEqual([0, 1, 1, 1, 6]);
  });

  it('differ between spellings until the URL is normalised', () => {
    expect(hash64('wss://Relay.Damus.io/')).not.toBe(hash64('wss://relay.damus.io'));
    expect(hash64(normalizeRelayUrl('wss://Relay.Damus.io/'))).toBe(hash64('wss://relay.damus.io'));
  });
});
