import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureSet, FIXTURE_ZAP_MSATS, publishFixtureSet } from '../src/fixture-set.js';
import { type SimNetwork, startSimNetwork } from '../src/sim-network.js';
import { ReferenceCounter } from './reference-counter.js';
import { COLLECTED_KINDS, TestClient } from './test-client.js';

// The truth on a hand-built set, checked against numbers worked out by hand from the set's
// construction (see buildFixtureSet) and against an independent count of what clients received.
describe('ground truth on the hand-built fixture set', () => {
  let net: SimNetwork;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    net = await startSimNetwork({ relays: 3, corpusSize: 10, autoStart: false, seed: 'fixture-set-test' });
    for (const url of net.urls) {
      const c = await TestClient.connect(url);
      c.req('live', { kinds: COLLECTED_KINDS, since: Math.floor(Date.now() / 1000) });
      clients.push(c);
    }
    await net.waitForSubscribers(3);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await net?.stop();
  });

  it('counts every rule exactly as specified', async () => {
    const set = buildFixtureSet();
    const copies = set.reduce((s, p) => s + p.relays.length, 0);
    expect(await publishFixtureSet(net, set)).toBe(copies);
    await net.drain();
    await clients[0]?.waitFor(() => clients.reduce((s, c) => s + c.events.length, 0) === copies);
    const t = net.truth();
    const [r0, r1, r2] = net.urls.map((u) => t.relays[u]);
    expect([r0?.invalid, r1?.invalid, r2?.invalid]).toEqual([1, 2, 1]);
    expect(r1?.invalidBySignature).toBe(2);
    expect(r2?.invalidById).toBe(1);
    expect(t.invalidOnly).toBe(1);
    // 6 notes/reactions (one broken everywhere is not counted), 7 zaps, 4 articles, 4 profiles,
    // 1 follow list, 1 relay list.
    expect(t.uniqueByKind).toEqual({ 1: 5, 7: 1, 9735: 7, 30023: 4, 0: 4, 3: 1, 10002: 1 });
    expect(t.clients).toEqual({
      damus: { events: 2, users: 2 },
      amethyst: { events: 1, users: 1 },
      primal: { events: 1, users: 1 },
    });
    expect(t.zaps).toMatchObject({
      receipts: 7,
      withAmount: 5,
      noAmount: 1,
      invalidBolt11: 1,
      plausible: 4,
      flagged: 1,
      // 200,000 + 2,100 + 21.6 + 1.5 sats: the parts of a sat make one more whole sat together.
      plausibleMsats: Number(Object.values(FIXTURE_ZAP_MSATS).reduce((a, b) => a + b, 0n)),
      plausibleSats: 202_123,
      byMultiplier: { m: 2, u: 1, n: 1, p: 1 },
      senders: 4,
      receivers: 1,
    });
    expect(t.articles).toBe(2);
    expect(t.articleVersions).toBe(4);
    expect(t.replaceableByKind).toEqual({ 0: 2, 3: 1, 10002: 1 });
    const tie = set.filter((p) => p.event.content.startsWith('{"name":"tie')).map((p) => p.event.id);
    const pub13 = set.find((p) => p.event.content === '{"name":"tie a"}')?.event.pubkey;
    expect(t.replaceable[`0:${pub13}`]?.id).toBe([...tie].sort()[0]);
    expect(t.discoveredRelays).toEqual(['wss://relay-a.sim.example', 'wss://relay-b.sim.example']);
    expect(t.rejectedRelayUrls).toBe(3);

    const ref = new ReferenceCounter();
    net.urls.forEach((url, i) => {
      for (const { ev } of clients[i]?.events ?? []) ref.add(url, ev);
    });
    const s = ref.summary();
    expect(s.byKind).toEqual(t.uniqueByKind);
    expect(s.zap.sats).toBe(t.zaps.plausibleSats);
    expect(s.discovered).toEqual(t.discoveredRelays);
  });
});
