import { describe, expect, it } from 'vitest';
import { type ProviderAnswer, ProviderKeys, providerAnswerOf } from './provider-keys.js';

const KEY = 'ab'.repeat(32);

describe('providerAnswerOf', () => {
  it('reads the NIP-57 provider key of an LNURL-pay document', () => {
    const doc = (d: object) => JSON.stringify({ tag: 'payRequest', ...d });
    expect(providerAnswerOf(200, doc({ allowsNostr: true, nostrPubkey: KEY }))).toEqual({
      kind: 'key',
      pubkey: KEY,
    });
    expect(providerAnswerOf(200, doc({ allowsNostr: false, nostrPubkey: KEY }))).toEqual({
      kind: 'no_nostr',
    });
    expect(providerAnswerOf(200, doc({ allowsNostr: true, nostrPubkey: 'npub1x' }))).toEqual({
      kind: 'no_nostr',
    });
    expect(providerAnswerOf(200, doc({}))).toEqual({ kind: 'no_nostr' });
  });

  it('has nothing for errors, error documents and non-JSON', () => {
    for (const [status, body] of [
      [503, '{}'],
      [404, JSON.stringify({ allowsNostr: true, nostrPubkey: KEY })],
      [200, JSON.stringify({ status: 'ERROR', reason: 'unknown' })],
      [200, '<html>'],
      [200, '[]'],
    ] as const)
      expect(providerAnswerOf(status, body)).toEqual({ kind: 'down' });
  });
});

describe('ProviderKeys', () => {
  it('caches documents a day and failures minutes, bounded, one fetch per URL at a time', async () => {
    let now = 0;
    const asked: string[] = [];
    const answers = new Map<string, string>([
      ['https://a.example/', JSON.stringify({ allowsNostr: true, nostrPubkey: KEY })],
    ]);
    const fetched: ProviderAnswer[] = [];
    const keys = new ProviderKeys({
      fetch: {
        get: async (url) => {
          asked.push(url);
          const body = answers.get(url);
          if (body === undefined) throw new Error('refused');
          return { status: 200, url, body };
        },
      },
      maxEntries: 2,
      now: () => now,
      onFetched: (a) => fetched.push(a),
    });
    const [one, two] = await Promise.all([
      keys.lookup('https://a.example/'),
      keys.lookup('https://a.example/'),
    ]);
    expect(one).toEqual({ kind: 'key', pubkey: KEY });
    expect(two).toEqual(one);
    expect(await keys.lookup('https://down.example/')).toEqual({ kind: 'down' });
    expect(asked).toEqual(['https://a.example/', 'https://down.example/']);
    now = 299_000;
    await keys.lookup('https://down.example/');
    await keys.lookup('https://a.example/');
    expect(asked).toHaveLength(2);
    now = 301_000;
    await keys.lookup('https://down.example/');
    expect(asked).toHaveLength(3);
    now = 86_400_001;
    await keys.lookup('https://a.example/');
    expect(asked).toHaveLength(4);
    // A third URL evicts the least recently used of two.
    await keys.lookup('https://c.example/');
    await keys.lookup('https://down.example/');
    expect(asked).toHaveLength(6);
    expect(fetched.map((a) => a.kind)).toEqual(['key', 'down', 'down', 'key', 'down', 'down']);
  });

  it('runs at most maxConcurrent fetches at once', async () => {
    let running = 0;
    let most = 0;
    const keys = new ProviderKeys({
      maxConcurrent: 2,
      fetch: {
        get: async (url) => {
          running++;
          most = Math.max(most, running);
          await new Promise((r) => setTimeout(r, 10));
          running--;
          return { status: 503, url, body: '' };
        },
      },
    });
    await Promise.all(Array.from({ length: 7 }, (_, i) => keys.lookup(`https://h${i}.example/`)));
    expect(most).toBe(2);
    expect(keys.fetches).toBe(7);
  });
});
