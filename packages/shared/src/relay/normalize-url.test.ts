import { describe, expect, it } from 'vitest';
import { isPrivateHost, normalizeRelayUrl, RelayUrlError, tryNormalizeRelayUrl } from './normalize-url.js';
import { readRelayList } from './seed-relays.js';

describe('normalizeRelayUrl', () => {
  it.each([
    // scheme and host case
    ['WSS://Relay.Damus.IO', 'wss://relay.damus.io'],
    ['Ws://EXAMPLE.com/Path', 'ws://example.com/Path'],
    // default ports go, other ports stay
    ['wss://relay.example.com:443', 'wss://relay.example.com'],
    ['ws://relay.example.com:80/', 'ws://relay.example.com'],
    ['wss://relay.example.com:80', 'wss://relay.example.com:80'],
    ['ws://relay.example.com:443', 'ws://relay.example.com:443'],
    ['wss://relay.example.com:7777/', 'wss://relay.example.com:7777'],
    // trailing slash and doubled slashes
    ['wss://relay.example.com/', 'wss://relay.example.com'],
    ['wss://relay.example.com//', 'wss://relay.example.com'],
    ['wss://relay.example.com/inbox/', 'wss://relay.example.com/inbox'],
    ['wss://relay.example.com//a//b/', 'wss://relay.example.com/a/b'],
    // fragments go, queries stay
    ['wss://relay.example.com/#frag', 'wss://relay.example.com'],
    ['wss://relay.example.com/path?x=1#frag', 'wss://relay.example.com/path?x=1'],
    // credentials go
    ['wss://user:secret@relay.example.com', 'wss://relay.example.com'],
    ['wss://user@relay.example.com/p', 'wss://relay.example.com/p'],
    // surrounding whitespace, trailing dot of a fully qualified name
    ['  wss://relay.example.com\n', 'wss://relay.example.com'],
    ['wss://relay.example.com./', 'wss://relay.example.com'],
    // IP literals
    ['wss://[2001:DB8::1]:443/', 'wss://[2001:db8::1]'],
    ['ws://203.0.113.7:8080', 'ws://203.0.113.7:8080'],
    // internationalised names become punycode, so one relay has one spelling
    ['wss://relay.bücher.example', 'wss://relay.xn--bcher-kva.example'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeRelayUrl(input)).toBe(expected);
    // Normalising is idempotent.
    expect(normalizeRelayUrl(expected)).toBe(expected);
  });

  it.each([
    'https://relay.example.com',
    'http://relay.example.com',
    'relay.example.com',
    'ftp://relay.example.com',
    'wss://',
    'wss:// spaced.example.com',
    '',
    'not a url',
  ])('refuses %j', (input) => {
    expect(() => normalizeRelayUrl(input)).toThrow(RelayUrlError);
    expect(tryNormalizeRelayUrl(input)).toBeUndefined();
  });

  it.each([
    'ws://localhost:7777',
    'wss://LOCALHOST.',
    'wss://relay.localhost',
    'wss://printer.local',
    'wss://db.internal',
    'ws://127.0.0.1:4869',
    'ws://2130706433', // 127.0.0.1 in decimal
    'ws://0x7f.0.0.1',
    'wss://10.1.2.3',
    'wss://172.16.0.1',
    'wss://172.31.255.255',
    'wss://192.168.1.10',
    'wss://169.254.169.254',
    'wss://100.64.0.1',
    'wss://0.0.0.0',
    'wss://224.0.0.1',
    'wss://[::1]',
    'wss://[::]',
    'wss://[fd00::1]',
    'wss://[fe80::1]',
    'wss://[ff02::1]',
    'wss://[::ffff:127.0.0.1]',
    'wss://[64:ff9b::7f00:1]',
    'wss://relay', // single-label name
  ])('refuses the private or local host in %s when asked', (input) => {
    expect(() => normalizeRelayUrl(input, { rejectPrivate: true })).toThrow(/local or private/);
    // ...and accepts it otherwise (a configured local relay is legitimate).
    expect(tryNormalizeRelayUrl(input)).toBeDefined();
  });

  it.each([
    'wss://relay.damus.io',
    'wss://172.32.0.1',
    'wss://100.128.0.1',
    'wss://8.8.8.8',
    'wss://[2001:4860::8888]',
  ])('accepts the public host in %s with rejectPrivate', (input) => {
    expect(normalizeRelayUrl(input, { rejectPrivate: true })).toBe(input);
  });

  it('accepts every relay of the bundled seed list as a public relay, idempotently', () => {
    const seeds = readRelayList();
    expect(seeds.length).toBeGreaterThanOrEqual(230);
    const normalized = seeds.map((url) => normalizeRelayUrl(url, { rejectPrivate: true }));
    for (const url of normalized) expect(normalizeRelayUrl(url)).toBe(url);
    // The list spells a few relays twice (e.g. with ":443"); normalising merges them.
    expect(normalized).toContain('wss://relay.nvote.co');
    expect(normalized).not.toContain('wss://relay.nvote.co:443');
    expect(new Set(normalized).size).toBeGreaterThanOrEqual(230);
  });
});

describe('isPrivateHost', () => {
  it('judges bare hostnames', () => {
    expect(isPrivateHost('localhost')).toBe(true);
    expect(isPrivateHost('[::1]')).toBe(true);
    expect(isPrivateHost('relay.damus.io')).toBe(false);
    expect(isPrivateHost('fcdn.example.com')).toBe(false);
  });
});
