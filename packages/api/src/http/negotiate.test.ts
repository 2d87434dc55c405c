import { describe, expect, it } from 'vitest';
import { encodeBody } from '../snapshot/encode.js';
import { etagFor, matchesIfNoneMatch, pickCoding } from './negotiate.js';

describe('pickCoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip', 'gzip'],
    ['gzip, deflate, br', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['*', 'br'],
    ['*;q=0', 'identity'],
    ['br;q=0, *', 'gzip'],
    ['gzip;q=abc', 'identity'],
    ['BR', 'br'],
    ['x-gzip', 'gzip'],
    [',,;;', 'identity'],
  ])('%j → %s', (header, expected) => {
    expect(pickCoding(header)).toBe(expected);
  });
});

describe('ETags', () => {
  it('differ per encoding and all match If-None-Match (weak comparison)', async () => {
    const body = await encodeBody(JSON.stringify({ x: 'y'.repeat(2000) }));
    const tags = (['identity', 'gzip', 'br'] as const).map((c) => etagFor(body, c));
    expect(new Set(tags).size).toBe(3);
    for (const tag of tags) {
      expect(matchesIfNoneMatch(tag, body)).toBe(true);
      expect(matchesIfNoneMatch(`W/${tag}`, body)).toBe(true);
      expect(matchesIfNoneMatch(`"other", ${tag}`, body)).toBe(true);
    }
    expect(matchesIfNoneMatch('*', body)).toBe(true);
    expect(matchesIfNoneMatch('"other"', body)).toBe(false);
    expect(matchesIfNoneMatch(undefined, body)).toBe(false);
  });

  it('small bodies stay uncompressed with one tag', async () => {
    const body = await encodeBody('{"a":1}');
    expect(etagFor(body, 'br')).toBe(etagFor(body, 'identity'));
    expect(body.br).toBe(body.identity);
  });

  it('the hash follows the bytes', async () => {
    const a = await encodeBody('{"a":1}');
    const b = await encodeBody('{"a":2}');
    expect(a.hash).not.toBe(b.hash);
    expect((await encodeBody('{"a":1}')).hash).toBe(a.hash);
  });
});
