import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimNetwork, startSimNetwork } from '../src/sim-network.js';
import { COLLECTED_KINDS, TestClient } from './test-client.js';

// `oversized` with `oversizedKeepsStreaming`: an oversized frame every interval while streaming,
// and the stream going on behind each for a client that reads past it; the delivered truth is
// what such a client received, oversized frames excluded.

describe('oversized mode that keeps streaming', () => {
  let net: SimNetwork;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    net = await startSimNetwork({
      relays: 1,
      modes: ['oversized'],
      seed: 'oversized-streaming',
      corpusSize: 2000,
      rate: 200,
      autoStart: false,
      oversizedBytes: 200_000,
      oversizedIntervalMs: 100,
      oversizedKeepsStreaming: true,
    });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await net?.stop();
  });

  it('sends oversized frames between events and the client that reads past them gets every event', async () => {
    const c = await TestClient.connect(net.urls[0] ?? '');
    clients.push(c);
    c.req('o', { kinds: COLLECTED_KINDS, since: 0 });
    await net.waitForSubscribers(1, 5000);
    net.resume();
    await new Promise((r) => setTimeout(r, 1500));
    net.pause();
    await net.drain();
    await new Promise((r) => setTimeout(r, 200));
    const oversized = c.raw.filter((r) => r.length > 200_000).length;
    const truth = net.truth().relays[net.urls[0] ?? ''];
    expect(oversized).toBeGreaterThanOrEqual(3);
    expect(truth?.oversizedFrames).toBe(oversized);
    // Events arrived after the first oversized frame, not only before it.
    const firstOversized = c.raw.findIndex((r) => r.length > 200_000);
    expect(c.raw.slice(firstOversized + 1).some((r) => r.startsWith('["EVENT"') && r.length < 200_000)).toBe(
      true,
    );
    const small = c.events.filter((e) => JSON.stringify(e.ev).length < 200_000);
    expect(small.length).toBe((truth?.valid ?? 0) + (truth?.invalid ?? 0));
    expect(small.length).toBeGreaterThan(100);
  });
});
