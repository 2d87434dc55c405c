import { describe, expect, it } from 'vitest';
import { relayListUrl } from './corpus-content.js';
import { makeEvent } from './fixtures.js';
import { RelayListTally } from './relay-list-tally.js';
import { Rng } from './rng.js';

const relayList = (urls: string[]) => makeEvent({ kind: 10002, tags: urls.map((u) => ['r', u]) });
const followList = (urls: string[]) =>
  makeEvent({ kind: 3, content: JSON.stringify(Object.fromEntries(urls.map((u) => [u, { read: true }]))) });

describe('RelayListTally', () => {
  it('takes relay-list r tags and follow-list relay maps, each URL once in canonical form', () => {
    const tally = new RelayListTally();
    tally.add(
      relayList(['WSS://Relay1.Sim.Example:443', 'wss://relay1.sim.example/', 'ws://nos2.sim.example/inbox']),
    );
    tally.add(followList(['wss://relay1.sim.example', 'wss://relay.sim.example.']));
    tally.add(makeEvent({ kind: 1, tags: [['r', 'wss://ignored.sim.example']] }));
    expect(tally.result()).toEqual({
      discoveredRelays: [
        'ws://nos2.sim.example/inbox',
        'wss://relay.sim.example',
        'wss://relay1.sim.example',
      ],
      rejectedRelayUrls: 0,
      // One author (both lists are the same key's): each URL its latest lists name counts once.
      discoveryAuthors: {
        'ws://nos2.sim.example/inbox': 1,
        'wss://relay.sim.example': 1,
        'wss://relay1.sim.example': 1,
      },
    });
  });

  it("rejects, per entry, what the collector's shared rule rejects", () => {
    const rejected = [
      'http://relay.sim.example',
      'not a relay url',
      'ws://192.168.1.4',
      'wss://localhost:7001',
      'wss://localhost.',
      'wss://[::1]:7777',
      'wss://[fe80::1]',
      'wss://[ff02::1]',
      'wss://[64:ff9b::1.2.3.4]',
      'ws://relay',
    ];
    const tally = new RelayListTally();
    tally.add(relayList(rejected));
    tally.add(relayList(['ws://10.0.0.1:8080']));
    expect(tally.result()).toEqual({
      discoveredRelays: [],
      rejectedRelayUrls: rejected.length + 1,
      discoveryAuthors: {},
    });
  });

  it('meets both accepted and rejected URLs in what the corpus writes', () => {
    const rng = new Rng('urls');
    const tally = new RelayListTally();
    tally.add(relayList(Array.from({ length: 2000 }, () => relayListUrl(rng))));
    const { discoveredRelays, rejectedRelayUrls } = tally.result();
    expect(rejectedRelayUrls).toBeGreaterThan(100);
    expect(discoveredRelays.length).toBeGreaterThan(10);
    // Odd spellings of one relay (case, :443, trailing slash) are one URL.
    expect(
      discoveredRelays.every((u) => u === u.toLowerCase() && !u.endsWith('/') && !u.includes(':443')),
    ).toBe(true);
  });
});
