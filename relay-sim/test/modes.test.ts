import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent } from '../src/fixtures.js';
import { type SimNetwork, startSimNetwork } from '../src/sim-network.js';
import { RELAY_MODES, type RelayMode } from '../src/types.js';
import { COLLECTED_KINDS, TestClient } from './test-client.js';

const KNOWN = new Set(['EVENT', 'EOSE', 'OK', 'NOTICE', 'CLOSED', 'AUTH']);

function wellFormed(raw: string): boolean {
  try {
    const m = JSON.parse(raw) as unknown;
    if (!Array.isArray(m) || !KNOWN.has(m[0])) return false;
    if (m[0] === 'EVENT')
      return m.length === 3 && typeof m[1] === 'string' && !!m[2] && typeof m[2] === 'object';
    return typeof m[1] === 'string';
  } catch {
    return false;
  }
}

describe('misbehaving relay modes', () => {
  let net: SimNetwork;
  const url = (mode: RelayMode): string => net.urls[RELAY_MODES.indexOf(mode)] ?? '';
  const clients: TestClient[] = [];
  const connect = async (mode: RelayMode, opts = {}): Promise<TestClient> => {
    const c = await TestClient.connect(url(mode), opts);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    net = await startSimNetwork({
      relays: RELAY_MODES.length,
      modes: [...RELAY_MODES],
      seed: 'modes',
      corpusSize: 400,
      // Only the flood test streams; a low rate keeps the flood clearly ahead even on a busy machine.
      rate: 20,
      copies: RELAY_MODES.length,
      multiRelayShare: 1,
      autoStart: false,
      slowEoseMs: 600,
      closedAfterMs: 300,
      disconnectAfterMs: 300,
      oversizedBytes: 200_000,
      oversizedIntervalMs: 100,
      noticeIntervalMs: 50,
      garbageShare: 0.5,
    });
    net.emit(50);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await net?.stop();
  });

  it('normal: serves a NIP-11 document and EOSE', async () => {
    const res = await fetch(url('normal').replace('ws:', 'http:'), {
      headers: { accept: 'application/nostr+json' },
    });
    const doc = (await res.json()) as { supported_nips: number[]; limitation: Record<string, unknown> };
    expect(doc.supported_nips).toContain(42);
    expect(doc.limitation).toMatchObject({
      max_subscriptions: 20,
      auth_required: false,
      payment_required: false,
    });
    expect(doc.limitation.max_message_length).toBeTypeOf('number');
    const c = await connect('normal');
    c.req('a', { kinds: COLLECTED_KINDS, since: 0 });
    await c.waitFor(() => c.eose.has('a'));
    expect(c.events.length).toBe(50);
  });

  it('normal: NOTICE on a broken client frame, CLOSED past max_subscriptions, OK on publish', async () => {
    const c = await connect('normal');
    c.ws.send('nonsense');
    for (let i = 0; i < 21; i++) c.req(`s${i}`, { kinds: [1], limit: 0 });
    const ev = makeEvent({ kind: 1, content: 'published over the socket', keyIndex: 7 });
    c.send(['EVENT', ev]);
    await c.waitFor(() => c.framesOf('OK').length === 1 && c.framesOf('CLOSED').length === 1);
    expect(c.framesOf('NOTICE')[0]?.[1]).toMatch(/^error: /);
    expect(c.framesOf('CLOSED')[0]).toEqual(['CLOSED', 's20', 'error: too many subscriptions (max 20)']);
    expect(c.framesOf('OK')[0]).toEqual(['OK', ev.id, true, '']);
  });

  it('garbage: interleaves malformed frames, counted exactly in the truth', async () => {
    const c = await connect('garbage');
    c.req('g', { kinds: COLLECTED_KINDS, since: 0 });
    await c.waitFor(() => c.eose.has('g'));
    const bad = c.raw.filter((r) => !wellFormed(r)).length;
    expect(bad).toBeGreaterThan(5);
    expect(net.truth().relays[url('garbage')]?.garbageFrames).toBe(bad);
    expect(c.events.filter((e) => e.sub === 'g' && typeof e.ev.id === 'string').length).toBe(50);
  });

  it('oversized: sends one frame over oversizedBytes per socket, then no more events', async () => {
    const c = await connect('oversized');
    c.req('o', { kinds: COLLECTED_KINDS, since: 0 });
    await c.waitFor(() => c.raw.some((r) => r.length > 200_000), 3000, 'an oversized frame');
    expect(net.truth().relays[url('oversized')]?.oversizedFrames).toBe(1);
    const before = c.events.length;
    const delivered = net.truth().relays[url('oversized')]?.valid;
    net.emit(5);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.events.length).toBe(before);
    expect(net.truth().relays[url('oversized')]?.valid).toBe(delivered);
    // A client with a frame limit is cut off, as a collector with maxPayload would be.
    const limited = await connect('oversized', { maxPayload: 100_000 });
    limited.req('o', { kinds: [1], limit: 0 });
    await limited.waitFor(() => limited.closed, 3000, 'close on oversized frame');
    expect(limited.raw.some((r) => r.length > 100_000)).toBe(false);
  });

  it('flood: pushes far faster than the configured rate', async () => {
    const flood = await connect('flood');
    const normal = await connect('normal');
    flood.req('f', { kinds: COLLECTED_KINDS, since: 0 });
    normal.req('n', { kinds: COLLECTED_KINDS, since: 0 });
    await flood.waitFor(() => flood.eose.has('f') && normal.eose.has('n'));
    const [f0, n0] = [flood.events.length, normal.events.length];
    net.resume();
    // The flood relay cycles the whole corpus (400 events) again and again; the others stream at `rate`.
    await flood.waitFor(() => flood.events.length - f0 >= 2000, 15_000, 'a flood of events');
    net.pause();
    const fast = flood.events.length - f0;
    const slow = normal.events.length - n0;
    expect(fast).toBeGreaterThan(4 * slow);
    // Never the same id twice from a flooding relay, and the truth counts exactly what came.
    await net.drain();
    const t = net.truth().relays[url('flood')];
    await flood.waitFor(() => flood.events.length === t?.eventFrames, 5000, 'every flood frame');
    const ids = flood.events.map((e) => e.ev.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect((t?.valid ?? 0) + (t?.invalid ?? 0)).toBe(ids.length);
    expect(t?.floodJunk).toBeGreaterThan(0);
  });

  it('stall: accepts the socket, then answers nothing, not even pings', async () => {
    const c = await connect('stall');
    let pong = false;
    c.ws.on('pong', () => {
      pong = true;
    });
    c.req('x', { kinds: COLLECTED_KINDS, since: 0 });
    c.ws.ping();
    net.emit(5);
    await new Promise((r) => setTimeout(r, 500));
    expect(c.raw.length).toBe(0);
    expect(pong).toBe(false);
    expect(c.closed).toBe(false);
    const n = await connect('normal');
    let normalPong = false;
    n.ws.on('pong', () => {
      normalPong = true;
    });
    n.ws.ping();
    await n.waitFor(() => normalPong, 2000, 'pong from a normal relay');
  });

  it('stall-open: never completes the WebSocket handshake', async () => {
    await expect(TestClient.connect(url('stall-open'), { handshakeTimeout: 400 })).rejects.toThrow(
      /handshake/i,
    );
    const res = await fetch(url('stall-open').replace('ws:', 'http:'), {
      headers: { accept: 'application/nostr+json' },
    });
    expect(res.status).toBe(200);
  });

  it('disconnect-loop: closes every socket shortly after it opens', async () => {
    for (let round = 0; round < 2; round++) {
      const c = await connect('disconnect-loop');
      const opened = Date.now();
      await c.waitFor(() => c.closed, 3000, 'relay-initiated close');
      expect(Date.now() - opened).toBeGreaterThanOrEqual(250);
    }
  });

  it('auth-required: challenges, refuses REQ with auth-required:, serves after NIP-42 AUTH', async () => {
    const res = await fetch(url('auth-required').replace('ws:', 'http:'), {
      headers: { accept: 'application/nostr+json' },
    });
    expect(((await res.json()) as { limitation: { auth_required: boolean } }).limitation.auth_required).toBe(
      true,
    );
    const c = await connect('auth-required');
    await c.waitFor(() => c.framesOf('AUTH').length === 1);
    c.req('a', { kinds: COLLECTED_KINDS, since: 0 });
    await c.waitFor(() => c.framesOf('CLOSED').length === 1);
    expect(String(c.framesOf('CLOSED')[0]?.[2])).toMatch(/^auth-required: /);
    const challenge = String(c.framesOf('AUTH')[0]?.[1]);
    const auth = makeEvent({
      kind: 22242,
      keyIndex: 8,
      tags: [
        ['relay', url('auth-required')],
        ['challenge', challenge],
      ],
    });
    c.send(['AUTH', auth]);
    await c.waitFor(() => c.framesOf('OK').length === 1);
    expect(c.framesOf('OK')[0]?.[2]).toBe(true);
    c.req('b', { kinds: COLLECTED_KINDS, since: 0 });
    await c.waitFor(() => c.eose.has('b'));
    expect(c.events.length).toBeGreaterThan(0);
  });

  it('closed: closes the subscription unprompted with a standard prefix', async () => {
    const c = await connect('closed');
    c.req('c', { kinds: COLLECTED_KINDS, since: 0 });
    await c.waitFor(() => c.eose.has('c'));
    await c.waitFor(() => c.framesOf('CLOSED').length === 1, 2000, 'unprompted CLOSED');
    expect(String(c.framesOf('CLOSED')[0]?.[2])).toMatch(
      /^(rate-limited|error|restricted|blocked|invalid): /,
    );
  });

  it('slow-eose: holds EOSE back, and delivers live events that arrived meanwhile after it', async () => {
    const c = await connect('slow-eose');
    const sent = Date.now();
    c.req('s', { kinds: COLLECTED_KINDS, since: Math.floor(Date.now() / 1000) + 3600 });
    // Let the REQ reach the relay, so these arrive while EOSE is being held back.
    await new Promise((r) => setTimeout(r, 100));
    net.emit(10);
    await c.waitFor(() => c.eose.has('s'), 3000, 'slow EOSE');
    expect((c.eose.get('s') ?? 0) - sent).toBeGreaterThanOrEqual(550);
    await c.waitFor(() => c.events.length === 10, 2000, 'held-back live events');
    const eoseAt = c.frames.findIndex((f) => f[0] === 'EOSE');
    expect(c.frames.findIndex((f) => f[0] === 'EVENT')).toBeGreaterThan(eoseAt);
  });

  it('no-nip11 and bad-nip11: no or broken information document', async () => {
    const none = await fetch(url('no-nip11').replace('ws:', 'http:'), {
      headers: { accept: 'application/nostr+json' },
    });
    expect(none.status).toBe(404);
    const bad = await fetch(url('bad-nip11').replace('ws:', 'http:'), {
      headers: { accept: 'application/nostr+json' },
    });
    expect(bad.status).toBe(200);
    const text = await bad.text();
    expect(() => JSON.parse(text)).toThrow();
  });

  it('notice: sends NOTICEs with every standard prefix alongside normal traffic', async () => {
    const c = await connect('notice');
    c.req('n', { kinds: COLLECTED_KINDS, since: 0 });
    await c.waitFor(() => c.framesOf('NOTICE').length >= 7, 6000, 'seven notices');
    const prefixes = new Set(c.framesOf('NOTICE').map((f) => String(f[1]).split(':')[0]));
    for (const p of ['rate-limited', 'error', 'restricted', 'blocked', 'invalid', 'auth-required']) {
      expect(prefixes.has(p)).toBe(true);
    }
    // Stop the notices and let the last one arrive before comparing counts.
    const i = RELAY_MODES.indexOf('notice');
    net.setMode(i, 'normal');
    await new Promise((r) => setTimeout(r, 150));
    const stored = net.truth({ scope: 'emitted' }).relays[url('notice')];
    expect(c.events.length).toBe((stored?.valid ?? 0) + (stored?.invalid ?? 0));
    expect(net.truth().relays[url('notice')]?.noticesSent).toBe(c.framesOf('NOTICE').length);
    net.setMode(i, 'notice');
  });

  it('setMode switches a relay at runtime', async () => {
    const i = RELAY_MODES.indexOf('normal');
    net.setMode(i, 'no-nip11');
    const res = await fetch(url('normal').replace('ws:', 'http:'), {
      headers: { accept: 'application/nostr+json' },
    });
    expect(res.status).toBe(404);
    net.setMode(i, 'normal');
    expect(net.modes()[i]).toBe('normal');
  });
});
