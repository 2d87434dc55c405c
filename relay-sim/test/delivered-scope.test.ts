import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimNetwork, startSimNetwork } from '../src/sim-network.js';
import { COLLECTED_KINDS, TestClient } from './test-client.js';

// "Delivered" counts what reached a subscribed socket, once per relay and id: events stored while
// nobody listened count only once a later REQ replays them, and a replay of events already sent
// adds nothing.
describe('delivered scope across disconnects and replays', () => {
  let net: SimNetwork;
  beforeAll(async () => {
    net = await startSimNetwork({
      relays: 2,
      copies: 2,
      multiRelayShare: 1,
      invalidSigShare: 0,
      invalidIdShare: 0,
      corpusSize: 200,
      autoStart: false,
      seed: 'delivered',
    });
  });
  afterAll(async () => {
    await net?.stop();
  });

  it('counts only what was sent, once per relay and id', async () => {
    const url = net.urls[0] ?? '';
    const future = Math.floor(Date.now() / 1000) + 3600;
    const a = await TestClient.connect(url);
    a.req('live', { kinds: COLLECTED_KINDS, since: future });
    await net.waitForSubscribers(1);
    net.emit(20);
    await a.waitFor(() => a.events.length === 20);
    a.close();
    await a.waitFor(() => net.stats().connections === 0, 5000, 'disconnect seen by the relay');

    net.emit(15);
    expect(net.truth().relays[url]?.valid).toBe(20);
    expect(net.truth({ scope: 'emitted' }).relays[url]?.valid).toBe(35);
    // The second relay had no subscriber at all.
    expect(net.truth().relays[net.urls[1] ?? '']?.valid).toBe(0);
    expect(net.truth().unique).toBe(20);

    const b = await TestClient.connect(url);
    b.req('resume', { kinds: COLLECTED_KINDS, since: future });
    await b.waitFor(() => b.eose.has('resume'));
    expect(b.events.length).toBe(0);
    expect(net.truth().relays[url]?.valid).toBe(20);

    b.req('replay', { kinds: COLLECTED_KINDS, since: 0 });
    await b.waitFor(() => b.eose.has('replay'));
    expect(b.events.length).toBe(35);
    const t = net.truth();
    expect(t.relays[url]?.valid).toBe(35);
    expect(t.relays[url]?.eventFrames).toBe(55);
    expect(t.unique).toBe(35);
    b.close();
  });
});
