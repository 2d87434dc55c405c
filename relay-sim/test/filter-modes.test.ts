import { COLLECTED_KINDS } from '@nostr-info/shared/nostr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOREIGN_SUBSCRIPTION, OFF_FILTER_KINDS } from '../src/filter-modes.js';
import { type SimNetwork, startSimNetwork } from '../src/sim-network.js';
import { TestClient } from './test-client.js';

// The modes behind "only what we asked for" and "activity is now", seen from a plain client, and
// their ground truth.

const kinds = [...COLLECTED_KINDS];
const DAY = 86_400;

describe('off-filter, rebroadcast and future relays', () => {
  let net: SimNetwork;
  const clients: TestClient[] = [];
  const connect = async (i: number) => {
    const c = await TestClient.connect(net.urls[i] ?? '');
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    net = await startSimNetwork({
      relays: 4,
      modes: ['off-filter', 'rebroadcast', 'future', 'rebroadcast'],
      seed: 'filter-modes',
      corpusSize: 50,
      autoStart: false,
    });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await net?.stop();
  });

  it('off-filter: sends what was not asked for, each id counted once whatever it re-sends', async () => {
    const now = Math.floor(Date.now() / 1000);
    const c = await connect(0);
    c.req('a', { kinds, since: now });
    await c.waitFor(() => c.events.length === 8, 5000, 'the off-filter events');
    c.req('b', { kinds, since: now });
    await c.waitFor(() => c.events.length === 16, 5000, 'the same events again');
    const first = c.events.slice(0, 8);
    expect(first.filter((e) => e.sub === FOREIGN_SUBSCRIPTION)).toHaveLength(2);
    expect(first.filter((e) => (OFF_FILTER_KINDS as readonly number[]).includes(e.ev.kind))).toHaveLength(3);
    expect(first.filter((e) => e.ev.created_at < now - 29 * DAY)).toHaveLength(3);
    const truth = net.truth();
    expect(truth.relays[net.urls[0] ?? '']?.offFilter).toEqual({
      subscription: 2,
      kind: 3,
      since: 3,
      until: 0,
    });
    expect(truth.relays[net.urls[0] ?? '']?.valid).toBe(0);
    expect(truth.offFilter).toEqual({ subscription: 2, kind: 3, since: 3, until: 0 });
  });

  it('rebroadcast: serves three-day-old events only to a subscription that asked that far back', async () => {
    const now = Math.floor(Date.now() / 1000);
    const recent = await connect(1);
    recent.req('r', { kinds, since: now });
    await recent.waitFor(() => recent.eose.has('r'));
    const back = await connect(3);
    back.req('r', { kinds, since: now - 4 * DAY });
    await back.waitFor(() => back.events.length === 3, 5000, 'the rebroadcast events');
    await new Promise((r) => setTimeout(r, 100));
    expect(recent.events).toHaveLength(0);
    const ages = back.events.map((e) => now - e.ev.created_at);
    for (const age of ages) expect(age).toBeGreaterThan(3 * DAY - 3600);
  });

  it('future: serves events dated a day ahead; the truth counts both apart', async () => {
    const c = await connect(2);
    c.req('f', { kinds, since: Math.floor(Date.now() / 1000) });
    await c.waitFor(() => c.events.length === 3, 5000, 'the future events');
    const truth = net.truth();
    const three = { total: 3, byKind: { 0: 1, 1: 1, 30023: 1 } };
    expect(truth.late).toEqual(three);
    expect(truth.future).toEqual(three);
    expect(truth.unique).toBe(0);
    expect(truth.userPubkeys).toBe(0);
    expect(truth.articles).toBe(0);
    // The latest profiles still move (newest created_at wins anyway).
    expect(truth.replaceableByKind[0]).toBe(2);
  });
});
