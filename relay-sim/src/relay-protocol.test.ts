import type { NostrEvent } from '@nostr-info/shared/nostr';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { corruptSignature, makeEvent } from './fixtures.js';
import { DEFAULT_BEHAVIOUR } from './relay-behaviour.js';
import { type Conn, openConn, type StoredCopy, type Sub } from './relay-conn.js';
import { handleClientMessage, type ProtocolHost } from './relay-protocol.js';
import { deriveSecretKey } from './rng.js';
import type { RelayMode } from './types.js';

/** A relay that records what the protocol asks of it. */
class FakeHost implements ProtocolHost {
  readonly behaviour = { ...DEFAULT_BEHAVIOUR, maxSubscriptions: 2 };
  readonly frames: unknown[][] = [];
  readonly sent: { sub: string; index: number }[] = [];
  readonly live: string[] = [];
  readonly published: NostrEvent[] = [];
  constructor(
    public mode: RelayMode = 'normal',
    private readonly history: StoredCopy[] = [],
  ) {}
  storedCopies(): readonly StoredCopy[] {
    return this.history;
  }
  storePublished(ev: NostrEvent): boolean {
    if (this.published.some((p) => p.id === ev.id)) return false;
    this.published.push(ev);
    return true;
  }
  sendEvent(_conn: Conn, sub: Sub, copy: StoredCopy): boolean {
    this.sent.push({ sub: sub.id, index: copy.index });
    return true;
  }
  sendRaw(_conn: Conn, frame: unknown[]): void {
    this.frames.push(frame);
  }
  sendClosed(_conn: Conn, subId: string, reason: string): void {
    this.frames.push(['CLOSED', subId, reason]);
  }
  subscriptionLive(_conn: Conn, sub: Sub): void {
    this.live.push(sub.id);
  }
}

const conn = (): Conn => openConn({ readyState: WebSocket.OPEN } as unknown as WebSocket, 'the-challenge');
const send = (host: FakeHost, c: Conn, msg: unknown): void =>
  handleClientMessage(host, c, Buffer.from(typeof msg === 'string' ? msg : JSON.stringify(msg)), false);

const note = makeEvent({ kind: 1, content: 'stored', created_at: 100 });
const stored: StoredCopy = { index: 0, state: 'valid', json: JSON.stringify(note), ev: note };

describe('handleClientMessage', () => {
  it('answers a REQ with the stored events that match, EOSE, then makes the subscription live', () => {
    const host = new FakeHost('normal', [stored]);
    const c = conn();
    send(host, c, ['REQ', 'a', { kinds: [1] }]);
    send(host, c, ['REQ', 'b', { kinds: [7] }]);
    expect(host.sent).toEqual([{ sub: 'a', index: 0 }]);
    expect(host.frames).toEqual([
      ['EOSE', 'a'],
      ['EOSE', 'b'],
    ]);
    expect(host.live).toEqual(['a', 'b']);
    expect(c.subs.get('a')?.live).toBe(true);
    send(host, c, ['CLOSE', 'a']);
    expect([...c.subs.keys()]).toEqual(['b']);
  });

  it('refuses bad subscription ids, bad filters and subscriptions past the limit', () => {
    const host = new FakeHost();
    const c = conn();
    send(host, c, ['REQ', '', {}]);
    send(host, c, ['REQ', 'x', 'not a filter']);
    send(host, c, ['REQ', 's1', {}]);
    send(host, c, ['REQ', 's2', {}]);
    send(host, c, ['REQ', 's3', {}]);
    expect(host.frames.filter((f) => f[0] !== 'EOSE')).toEqual([
      ['NOTICE', 'invalid: bad subscription id'],
      ['CLOSED', 'x', 'invalid: bad filter'],
      ['CLOSED', 's3', 'error: too many subscriptions (max 2)'],
    ]);
  });

  it('answers broken frames with a NOTICE', () => {
    const host = new FakeHost();
    send(host, conn(), 'not json');
    send(host, conn(), { not: 'an array' });
    send(host, conn(), ['PING']);
    send(host, conn(), ['EVENT', { id: 1 }]);
    expect(host.frames.map((f) => f[1])).toEqual([
      'error: could not parse message',
      'error: message is not a JSON array',
      'error: unknown message type PING',
      'invalid: malformed event',
    ]);
  });

  it('stores published events that verify, once, and refuses the others', () => {
    const host = new FakeHost();
    const c = conn();
    send(host, c, ['EVENT', note]);
    send(host, c, ['EVENT', note]);
    send(host, c, ['EVENT', corruptSignature(note)]);
    expect(host.published).toEqual([note]);
    expect(host.frames).toEqual([
      ['OK', note.id, true, ''],
      ['OK', note.id, true, 'duplicate: already have this event'],
      ['OK', note.id, false, 'invalid: bad id or signature'],
    ]);
  });

  it('in auth-required mode, serves a socket only after a valid NIP-42 AUTH for its challenge', () => {
    const host = new FakeHost('auth-required', [stored]);
    const c = conn();
    send(host, c, ['REQ', 'a', {}]);
    send(host, c, ['EVENT', note]);
    const auth = (challenge: string) =>
      makeEvent({
        kind: 22242,
        secret: deriveSecretKey('protocol', 'client', 0),
        tags: [['challenge', challenge]],
      });
    const wrong = auth('another-challenge');
    const right = auth('the-challenge');
    send(host, c, ['AUTH', wrong]);
    send(host, c, ['AUTH', right]);
    send(host, c, ['REQ', 'a', {}]);
    expect(host.frames).toEqual([
      ['CLOSED', 'a', 'auth-required: this relay only serves authenticated clients'],
      ['OK', note.id, false, 'auth-required: authenticate to publish'],
      ['OK', wrong.id, false, 'invalid: bad AUTH event'],
      ['OK', right.id, true, ''],
      ['EOSE', 'a'],
    ]);
    expect(c.authed).toBe(true);
  });
});
