import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corruptId, corruptSignature, makeEvent } from '../src/fixtures.js';
import { startThirdPartyRelay, type ThirdPartyRelay } from '../src/third-party-relay.js';
import { TestClient } from './test-client.js';

describe('real third-party relay (@nostr-relay/*)', () => {
  let relay: ThirdPartyRelay;
  beforeAll(async () => {
    relay = await startThirdPartyRelay();
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('accepts a valid event and rejects a broken signature or id', async () => {
    const ev = makeEvent({ kind: 1, content: 'hello third party', keyIndex: 3 });
    expect(await relay.publish(ev)).toEqual({ accepted: true, message: '' });
    const other = makeEvent({ kind: 1, content: 'another', keyIndex: 3 });
    expect((await relay.publish(corruptSignature(other))).accepted).toBe(false);
    expect((await relay.publish(corruptId(other))).accepted).toBe(false);
  });

  it('delivers stored and live events to a subscriber', async () => {
    const stored = makeEvent({ kind: 7, content: '+', keyIndex: 4 });
    await relay.publish(stored);
    const c = await TestClient.connect(relay.url);
    c.req('s', { kinds: [7, 9735] });
    await c.waitFor(() => c.eose.has('s'), 5000, 'EOSE');
    expect(c.events.map((e) => e.ev.id)).toContain(stored.id);
    const live = makeEvent({ kind: 7, content: '🤙', keyIndex: 5 });
    await relay.publish(live);
    await c.waitFor(() => c.events.some((e) => e.ev.id === live.id), 5000, 'live event');
    c.close();
  });

  it('serves no NIP-11 document', async () => {
    const res = await fetch(relay.url.replace('ws://', 'http://'), {
      headers: { accept: 'application/nostr+json' },
    }).catch(() => undefined);
    const body = res ? await res.text() : '';
    expect(body.includes('supported_nips')).toBe(false);
  });
});

describe('real third-party relay subscription limit', () => {
  it('silently drops the oldest subscription past 20 per socket', async () => {
    const relay = await startThirdPartyRelay();
    try {
      const c = await TestClient.connect(relay.url);
      for (let i = 0; i <= 20; i++) c.req(`s${i}`, { kinds: [1] });
      await c.waitFor(() => c.eose.size === 21, 5000, 'EOSE for every REQ');
      const ev = makeEvent({ kind: 1, content: 'to every subscription', keyIndex: 12 });
      await relay.publish(ev);
      await c.waitFor(() => c.events.length >= 20, 5000, 'live copies');
      await new Promise((r) => setTimeout(r, 100));
      const subs = c.events.map((e) => e.sub).sort();
      expect(subs).toHaveLength(20);
      expect(subs).not.toContain('s0');
      expect(c.framesOf('CLOSED')).toHaveLength(0);
      c.close();
    } finally {
      await relay.stop();
    }
  });
});
