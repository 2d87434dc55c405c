import { describe, expect, it } from 'vitest';
import { noticeText } from './relay-notices.js';

describe('noticeText', () => {
  it('cycles through every standard prefix and one notice without a prefix', () => {
    const texts = Array.from({ length: 7 }, (_, n) => noticeText(n));
    const prefixes = texts.map((t) => /^([a-z-]+): /.exec(t)?.[1] ?? '');
    expect(prefixes).toEqual([
      'rate-limited',
      'error',
      'restricted',
      'blocked',
      'invalid',
      'auth-required',
      '',
    ]);
    expect(noticeText(7)).toBe(texts[0]);
  });
});
