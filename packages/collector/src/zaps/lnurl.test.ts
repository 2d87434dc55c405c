import { bech32 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { lnurlPayUrl } from './lnurl.js';

const lnurl = (url: string) => bech32.encode('lnurl', bech32.toWords(new TextEncoder().encode(url)), 2000);

describe('lnurlPayUrl', () => {
  it('maps a LUD-16 address to its well-known https URL, first', () => {
    expect(lnurlPayUrl({ lud16: 'alice@wallet.example', lud06: lnurl('https://other.example/x') })).toBe(
      'https://wallet.example/.well-known/lnurlp/alice',
    );
    expect(lnurlPayUrl({ lud16: 'alice@127.0.0.1:8080', lud06: null }, true)).toBe(
      'http://127.0.0.1:8080/.well-known/lnurlp/alice',
    );
  });

  it('decodes a LUD-06 lnurl when there is no usable LUD-16', () => {
    expect(lnurlPayUrl({ lud16: 'not an address', lud06: lnurl('https://pay.example/lnurlp/bob') })).toBe(
      'https://pay.example/lnurlp/bob',
    );
    expect(lnurlPayUrl({ lud16: null, lud06: lnurl('ftp://pay.example/x') })).toBeUndefined();
    expect(lnurlPayUrl({ lud16: null, lud06: 'lnurl1qqqqqq' })).toBeUndefined();
    expect(lnurlPayUrl({ lud16: null, lud06: null })).toBeUndefined();
  });

  it('refuses names and domains that are not plain', () => {
    for (const lud16 of ['a/b@wallet.example', 'alice@wallet.example/path', 'alice@', '@wallet.example'])
      expect(lnurlPayUrl({ lud16, lud06: null }), lud16).toBeUndefined();
  });
});
