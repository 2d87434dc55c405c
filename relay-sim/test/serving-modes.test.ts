import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corruptSignature, makeEvent } from '../src/fixtures.js';
import { type SimNetwork, startSimNetwork } from '../src/sim-network.js';
import type { RelayMode } from '../src/types.js';
import { COLLECTED_KINDS, TestClient } from './test-client.js';

// The hostile modes behind "uptime means serving", "discovery by distinct authors" and "top
// relays a flood cannot win", each with its exact ground truth.

const MODES: RelayMode[] = [
  'silent-after-open',
  'payment-required',
  'auth-required',
  'relay-list-spam',
  'fresh-key-flood',
  'normal',
  'normal',
];

describe('serving, spam and flood modes', () => {
  let net: SimNetwork;
  const clients: TestClient[] = [];
  const url = (mode: RelayMode): string => net.urls[MODES.indexOf(mode)] ?? '';
  const connect = async (mode: RelayMode): Promise<TestClient> => {
    const c = await TestClient.connect(url(mode));
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    net = await startSimNetwork({
      relays: MODES.length,
      modes: MODES,
      seed: 'serving-modes',
      corpusSize: 300,
      rate: 50,
      copies: 3,
      autoStart: false,
      spamVersions: 200,
      freshFloodEvents: 300,
      freshFloodPerSecond: 3000,
    });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await net?.stop();
  });

  it('silent-after-open: accepts the socket and answers pings, never the REQ', async () => {
    const c = await connect('silent-after-open');
    c.req('s', { kinds: COLLECTED_KINDS });
    c.send(['EVENT', makeEvent({ kind: 1, content: 'anyone there?' })]);
    const pong = new Promise<void>((resolve) => c.ws.once('pong', () => resolve()));
    c.ws.ping();
    await pong;
    net.emit(20);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.frames).toEqual([]);
    expect(net.truth().relays[url('silent-after-open')]).toMatchObject({
      reqsReceived: 1,
      eoseSent: 0,
      pongsSent: 1,
      lastReqAnswer: 'none',
      valid: 0,
      closedSent: 0,
    });
  });

  it('payment-required: refuses every REQ and EVENT as a paid relay, and says so in NIP-11', async () => {
    const res = await fetch(url('payment-required').replace('ws:', 'http:'), {
      headers: { accept: 'application/nostr+json' },
    });
    expect(((await res.json()) as { limitation: Record<string, unknown> }).limitation).toMatchObject({
      payment_required: true,
      auth_required: false,
    });
    const c = await connect('payment-required');
    c.req('p', { kinds: COLLECTED_KINDS });
    const ev = makeEvent({ kind: 1, content: 'free ride' });
    c.send(['EVENT', ev]);
    await c.waitFor(() => c.framesOf('CLOSED').length === 1 && c.framesOf('OK').length === 1);
    expect(c.framesOf('CLOSED')[0]?.[2]).toMatch(/^restricted: .*paid/);
    expect(c.framesOf('OK')[0]).toEqual(['OK', ev.id, false, expect.stringMatching(/^restricted: /)]);
    expect(c.framesOf('EOSE')).toEqual([]);
    expect(net.truth().relays[url('payment-required')]).toMatchObject({
      reqsReceived: 1,
      eoseSent: 0,
      closedSent: 1,
      lastReqAnswer: 'payment-required',
    });
  });

  it('auth-required and normal: the answer to the last REQ', async () => {
    const a = await connect('auth-required');
    a.req('a', { kinds: [1] });
    await a.waitFor(() => a.framesOf('CLOSED').length === 1);
    const n = await connect('normal');
    n.req('n', { kinds: [1] });
    await n.waitFor(() => n.eose.has('n'));
    const truth = net.truth();
    expect(truth.relays[url('auth-required')]).toMatchObject({ lastReqAnswer: 'auth-required', eoseSent: 0 });
    expect(truth.relays[url('normal')]).toMatchObject({ lastReqAnswer: 'eose', eoseSent: 1 });
  });

  it('relay-list-spam: one key, 200 versions naming evil.example, counted as one author', async () => {
    const c = await connect('relay-list-spam');
    c.req('l', { kinds: [10002] });
    await c.waitFor(() => c.events.length === 200);
    expect(new Set(c.events.map((e) => e.ev.pubkey)).size).toBe(1);
    expect(c.events.every((e) => e.ev.tags.some((t) => t[0] === 'r' && t[1] === 'wss://evil.example'))).toBe(
      true,
    );
    const truth = net.truth();
    expect(truth.relays[url('relay-list-spam')]?.validByKind[10002]).toBe(200);
    expect(truth.discoveryAuthors['wss://evil.example']).toBe(1);
    expect(truth.discoveredRelays).toContain('wss://evil.example');
  });

  it('fresh-key-flood: 300 events from 300 fresh keys, carried by no other relay', async () => {
    const c = await connect('fresh-key-flood');
    c.req('f', { kinds: COLLECTED_KINDS });
    await c.waitFor(() => c.eose.has('f'));
    const before = net.truth();
    net.resume();
    await c.waitFor(() => c.events.length === 300, 10_000, 'the flood');
    net.pause();
    await net.drain();
    expect(new Set(c.events.map((e) => e.ev.pubkey)).size).toBe(300);
    const truth = net.truth();
    const flood = truth.relays[url('fresh-key-flood')];
    // It took none of the network's stream: every event it holds is its own.
    expect(flood).toMatchObject({ valid: 300, corroborated: 0, invalid: 0 });
    expect(truth.pubkeys - before.pubkeys).toBeGreaterThanOrEqual(300);
  });

  it('corroborated: per relay, the valid ids another relay also sent valid', () => {
    // Ids of their own: relays 5 and 6 are normal relays, quiet since the stream paused.
    const shared = makeEvent({ kind: 1, content: 'on both', keyIndex: 1 });
    const alone = makeEvent({ kind: 1, content: 'on one', keyIndex: 2 });
    const broken = makeEvent({ kind: 1, content: 'broken on one', keyIndex: 3 });
    const before = net.truth({ scope: 'emitted' });
    const r5 = net.urls[5] ?? '';
    const r6 = net.urls[6] ?? '';
    net.publish([shared, alone], [5]);
    net.publish([shared], [6]);
    net.publish([corruptSignature(broken)], [5]);
    net.publish([broken], [6]);
    const after = net.truth({ scope: 'emitted' });
    const gained = (u: string) =>
      (after.relays[u]?.corroborated ?? 0) - (before.relays[u]?.corroborated ?? 0);
    // `shared` on both; `alone` on one; `broken` valid on 6 only (5's copy does not verify).
    expect(gained(r5)).toBe(1);
    expect(gained(r6)).toBe(1);
  });

  it('discoveryAuthors: each author once, by its latest lists', () => {
    const key = (k: number) => ({ seed: 'authors', keyIndex: k });
    const events = [
      makeEvent({
        ...key(1),
        kind: 10002,
        created_at: 100,
        tags: [
          ['r', 'wss://x.example'],
          ['r', 'wss://y.example'],
        ],
      }),
      // Newer: y.example is dropped from author 1's list.
      makeEvent({ ...key(1), kind: 10002, created_at: 200, tags: [['r', 'wss://x.example']] }),
      makeEvent({ ...key(2), kind: 10002, created_at: 100, tags: [['r', 'wss://y.example']] }),
      makeEvent({
        ...key(2),
        kind: 3,
        created_at: 100,
        content: JSON.stringify({ 'wss://y.example': { read: true }, 'wss://z.example': {} }),
      }),
    ];
    net.publish(events, [5]);
    const authors = net.truth({ scope: 'emitted' }).discoveryAuthors;
    expect([authors['wss://x.example'], authors['wss://y.example'], authors['wss://z.example']]).toEqual([
      1, 1, 1,
    ]);
  });
});
