import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimNetwork, startSimNetwork } from '../src/sim-network.js';
import { ReferenceCounter } from './reference-counter.js';
import { COLLECTED_KINDS, TestClient } from './test-client.js';

describe('ground truth equals what clients received', () => {
  let net: SimNetwork;
  const clients: TestClient[] = [];
  const ref = new ReferenceCounter();
  beforeAll(async () => {
    net = await startSimNetwork({
      relays: 10,
      seed: 'truth',
      corpusSize: 1500,
      rate: 1500,
      copies: 6,
      invalidSigShare: 0.05,
      invalidIdShare: 0.05,
      autoStart: false,
    });
    // Events emitted before anyone subscribed are stored but not delivered (since = now).
    net.emit(200);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await net?.stop();
  });

  it('matches per relay and network-wide, exactly', async () => {
    const now = Math.floor(Date.now() / 1000) + 3600;
    for (const url of net.urls) {
      const c = await TestClient.connect(url);
      c.req('live', { kinds: COLLECTED_KINDS, since: now });
      clients.push(c);
    }
    await net.waitForSubscribers(net.urls.length);
    net.resume();
    await new Promise((r) => setTimeout(r, 800));
    net.pause();
    await net.drain();
    const expected = net.stats().eventFrames;
    await clients[0]?.waitFor(
      () => clients.reduce((s, c) => s + c.events.length, 0) === expected,
      5000,
      'all frames received',
    );

    net.urls.forEach((url, i) => {
      for (const { ev } of clients[i]?.events ?? []) ref.add(url, ev);
    });
    const truth = net.truth();
    const emitted = net.truth({ scope: 'emitted' });
    expect(truth.unique).toBeGreaterThan(500);
    expect(emitted.unique).toBeGreaterThan(truth.unique);

    for (const url of net.urls) {
      const rt = truth.relays[url];
      expect(rt?.validByKind).toEqual(ref.relayValidByKind(url));
      expect(rt?.invalid).toBe(ref.perRelay.get(url)?.invalid.size ?? 0);
    }
    const s = ref.summary();
    expect(truth.uniqueByKind).toEqual(s.byKind);
    expect(truth.unique).toBe(s.unique);
    expect(truth.pubkeys).toBe(s.pubkeys);
    expect(truth.clients).toEqual(s.clients);
    expect(truth.zaps.receipts).toBe(s.zap.receipts);
    expect(truth.zaps.plausible).toBe(s.zap.plausible);
    expect(truth.zaps.plausibleSats).toBe(s.zap.sats);
    expect(truth.zaps.flagged).toBe(s.zap.flagged);
    expect(truth.zaps.noAmount).toBe(s.zap.noAmount);
    expect(truth.zaps.invalidBolt11).toBe(s.zap.invalid);
    expect(truth.zaps.senders).toBe(s.senders);
    expect(truth.zaps.receivers).toBe(s.receivers);
    expect(truth.articles).toBe(s.articles);
    expect(truth.replaceable).toEqual(s.latest);
    expect(truth.discoveredRelays).toEqual(s.discovered);

    // The stream really exercises every case the collector must get right.
    expect(truth.zaps.flagged).toBeGreaterThan(0);
    expect(truth.zaps.invalidBolt11 + truth.zaps.noAmount).toBeGreaterThan(0);
    expect(truth.articleVersions).toBeGreaterThan(truth.articles);
    expect(truth.rejectedRelayUrls).toBeGreaterThan(0);
    expect(Object.keys(truth.clients)).toContain('damus');
    expect(truth.withoutClient).toBeGreaterThan(0);
  });

  it('puts copies of one event on several relays, some valid and some not', () => {
    const seen = new Map<string, { valid: number; invalid: number }>();
    for (const r of ref.perRelay.values()) {
      for (const id of r.valid.keys()) {
        const e = seen.get(id) ?? { valid: 0, invalid: 0 };
        e.valid++;
        seen.set(id, e);
      }
      for (const id of r.invalid) {
        const e = seen.get(id) ?? { valid: 0, invalid: 0 };
        e.invalid++;
        seen.set(id, e);
      }
    }
    const multi = [...seen.values()].filter((e) => e.valid + e.invalid >= 4).length;
    const mixed = [...seen.values()].filter((e) => e.valid > 0 && e.invalid > 0).length;
    expect(multi / seen.size).toBeGreaterThan(0.5);
    expect(mixed).toBeGreaterThan(10);
  });
});
