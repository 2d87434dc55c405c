import { describe, expect, it } from 'vitest';
import { unverifiedEvents } from '../../test/helpers/unverified-events.js';
import { MAX_DELETION_TARGETS, readDeletion } from './deletion.js';

const PK = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const ID = 'c'.repeat(64);
const ev = unverifiedEvents(PK);

describe('readDeletion', () => {
  it('keeps the own articles named by address and the kinds of its k tags', () => {
    const d = readDeletion(
      ev(5, [
        ['a', `30023:${PK}:my:post`],
        ['a', `30023:${OTHER}:theirs`],
        ['a', `30024:${PK}:draft`],
        ['a', 'garbage'],
        ['k', '30023'],
        ['k', '30023'],
        ['k', '1'],
        ['k', '070000'],
        ['k', '99999'],
      ]),
    );
    expect(d).toEqual({ kinds: [1, 30023], articles: ['my:post'], eventIds: [] });
  });

  it('keeps e targets when the k tags name articles or nothing', () => {
    expect(readDeletion(ev(5, [['e', ID]])).eventIds).toEqual([ID]);
    expect(
      readDeletion(
        ev(5, [
          ['e', ID],
          ['k', '30023'],
        ]),
      ).eventIds,
    ).toEqual([ID]);
    expect(
      readDeletion(
        ev(5, [
          ['e', ID],
          ['k', '1'],
        ]),
      ).eventIds,
    ).toEqual([]);
    expect(readDeletion(ev(5, [['e', 'not hex']])).eventIds).toEqual([]);
  });

  it(`reads at most ${MAX_DELETION_TARGETS} targets`, () => {
    const tags = Array.from({ length: MAX_DELETION_TARGETS + 5 }, (_, i) => ['a', `30023:${PK}:d${i}`]);
    expect(readDeletion(ev(5, tags)).articles).toHaveLength(MAX_DELETION_TARGETS);
  });
});
