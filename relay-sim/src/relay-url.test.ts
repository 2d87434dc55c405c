import { tryNormalizeRelayUrl } from '@nostr-info/shared';
import { describe, expect, it } from 'vitest';
import { relayListUrl } from './corpus-content.js';
import { canonicalPublicRelayUrl } from './relay-url.js';
import { Rng } from './rng.js';

describe('discovered relay URL rules', () => {
  it("agree with shared's normalizeRelayUrl(rejectPrivate) on every URL the corpus writes", () => {
    const rng = new Rng('urls');
    const urls = new Set<string>();
    for (let i = 0; i < 2000; i++) urls.add(relayListUrl(rng));
    urls.add('wss://relay.example.com//a//b/');
    urls.add('wss://user:pw@relay.example.com');
    urls.add('ws://172.20.0.1');
    urls.add('wss://relay.local');
    let rejected = 0;
    for (const u of urls) {
      const mine = canonicalPublicRelayUrl(u);
      expect(mine).toBe(tryNormalizeRelayUrl(u, { rejectPrivate: true }));
      if (mine === undefined) rejected++;
    }
    expect(rejected).toBeGreaterThan(10);
    expect(urls.size - rejected).toBeGreaterThan(10);
  });
});
