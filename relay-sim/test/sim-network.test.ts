import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyNostrEvent } from '../src/signer.js';
import { type SimNetwork, startSimNetwork } from '../src/sim-network.js';
import { COLLECTED_KINDS, TestClient } from './test-client.js';

describe('simulated network: protocol and ground truth', () => {
  let net: SimNetwork;
  beforeAll(async () => {
    net = await startSimNetwork({
      relays: 8,
      seed: 'proto',
      corpusSize: 600,
      rate: 400,
      copies: 4,
      autoStart: false,
    });
  });
  afterAll(async () => {
    await net?.stop();
  });

  it('answers REQ with stored events then EOSE, then streams live events', async () => {
    net.emit(100);
    const url = net.urls[0] ?? '';
    const c = await TestClient.connect(url);
    c.req('s1', { kinds: COLLECTED_KINDS, since: 0 });
    await c.waitFor(() => c.eose.has('s1'), 5000, 'EOSE');
    const stored = c.events.length;
    expect(stored).toBeGreaterThan(0);
    const eoseIndex = c.frames.findIndex((f) => f[0] === 'EOSE');
    expect(c.frames.slice(0, eoseIndex).every((f) => f[0] === 'EVENT')).toBe(true);
    net.resume();
    await c.waitFor(() => c.events.length > stored + 20, 5000, 'live events');
    net.pause();
    // Streamed events carry a created_at close to now (a real relay's fresh events), apart from
    // the few late-published ones.
    const now = Date.now() / 1000;
    const live = c.events.slice(stored).map((e) => e.ev.created_at);
    const fresh = live.filter((t) => Math.abs(t - now) < 30).length;
    expect(fresh / live.length).toBeGreaterThan(0.9);
    await net.drain();
    c.close();
  });

  it('delivers properly signed events, except the intended invalid copies', async () => {
    net.emit(200);
    const c = await TestClient.connect(net.urls[1] ?? '');
    c.req('all', { since: 0 });
    await c.waitFor(() => c.eose.has('all'), 5000, 'EOSE');
    const truth = net.truth({ scope: 'emitted' }).relays[net.urls[1] ?? ''];
    let valid = 0;
    let invalid = 0;
    for (const { ev } of c.events) verifyNostrEvent(ev) ? valid++ : invalid++;
    expect(valid).toBe(truth?.valid);
    expect(invalid).toBe(truth?.invalid);
    expect(valid).toBeGreaterThan(50);
    c.close();
  });
});
