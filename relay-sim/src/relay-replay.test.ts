import type { NostrEvent } from '@nostr-info/shared/nostr';
import { describe, expect, it } from 'vitest';
import type { StoredCopy } from './relay-conn.js';
import { replaySelection } from './relay-replay.js';

function copy(index: number, kind: number, created_at: number): StoredCopy {
  const ev: NostrEvent = { id: `${index}`, pubkey: 'p', created_at, kind, tags: [], content: '', sig: '' };
  return { index, state: 'valid', json: JSON.stringify(ev), ev };
}

const history = [copy(0, 1, 100), copy(1, 7, 105), copy(2, 1, 110), copy(3, 1, 110), copy(4, 7, 90)];
const indexes = (copies: StoredCopy[]): number[] => copies.map((c) => c.index);

describe('replaySelection', () => {
  it('replays matches newest first, ties by the later index first', () => {
    expect(indexes(replaySelection(history, [{ kinds: [1] }], 100))).toEqual([3, 2, 0]);
  });

  it("applies each filter's limit to that filter and sends a copy matched twice once", () => {
    const filters = [
      { kinds: [1], limit: 1 },
      { kinds: [1, 7], limit: 2 },
    ];
    expect(indexes(replaySelection(history, filters, 100))).toEqual([3, 2]);
    expect(indexes(replaySelection(history, [{ kinds: [1], limit: 1 }, { kinds: [7] }], 100))).toEqual([
      3, 1, 4,
    ]);
  });

  it('never replays more than the relay limit per filter', () => {
    expect(indexes(replaySelection(history, [{}], 2))).toEqual([3, 2]);
  });
});
