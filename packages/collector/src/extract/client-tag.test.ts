import { describe, expect, it } from 'vitest';
import type { NostrEvent } from '../protocol/event.js';
import { clientOf } from './client-tag.js';

const ev = (tags: string[][], content = ''): NostrEvent => ({
  id: '0'.repeat(64),
  pubkey: '1'.repeat(64),
  created_at: 1,
  kind: 1,
  tags,
  content,
  sig: '0'.repeat(128),
});

describe('clientOf', () => {
  it('takes the first value of the first client tag, trimmed and lower-cased', () => {
    expect(clientOf(ev([['client', '  Damus ', '31990:abc']]))).toBe('damus');
    expect(clientOf(ev([['client', 'Nostr  Wallet\tConnect']]))).toBe('nostr wallet connect');
    expect(
      clientOf(
        ev([
          ['client', 'Amethyst'],
          ['client', 'other'],
        ]),
      ),
    ).toBe('amethyst');
  });

  it('is undefined without a usable tag, and never read from content', () => {
    expect(clientOf(ev([['client', '   ']]))).toBeUndefined();
    expect(clientOf(ev([['client']]))).toBeUndefined();
    expect(clientOf(ev([], '{"client":"damus"}'))).toBeUndefined();
  });

  it('bounds the length', () => {
    expect(clientOf(ev([['client', 'x'.repeat(500)]]))?.length).toBe(64);
  });
});
