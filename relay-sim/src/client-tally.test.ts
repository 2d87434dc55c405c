import { describe, expect, it } from 'vitest';
import { ClientTally } from './client-tally.js';
import { makeEvent } from './fixtures.js';

const ev = (keyIndex: number, tags: string[][]) => makeEvent({ kind: 1, keyIndex, tags, created_at: 1 });

describe('ClientTally', () => {
  it('counts events and distinct users by the first client tag, trimmed and lower-cased', () => {
    const tally = new ClientTally();
    tally.add(ev(0, [['client', 'Damus']]));
    tally.add(ev(0, [['client', ' DAMUS ']]));
    tally.add(
      ev(1, [
        ['client', 'damus'],
        ['client', 'Amethyst'],
      ]),
    );
    tally.add(ev(2, [['client', 'Primal', '31990:x:primal']]));
    expect(tally.result()).toEqual({
      clients: { damus: { events: 3, users: 2 }, primal: { events: 1, users: 1 } },
      withoutClient: 0,
    });
  });

  it('counts events with no client tag, or an empty one, as without client', () => {
    const tally = new ClientTally();
    tally.add(ev(0, []));
    tally.add(ev(0, [['client', '  ']]));
    tally.add(ev(0, [['client']]));
    expect(tally.result()).toEqual({ clients: {}, withoutClient: 3 });
  });
});
