import { bech32 } from '@scure/base';

/** A profile's Lightning addresses, as kept per pubkey. */
export interface LightningAddressRef {
  lud16: string | null;
  lud06: string | null;
}

const LUD16 = /^([a-z0-9._+-]{1,128})@([a-z0-9.-]{1,253}(?::\d{1,5})?)$/;
/** Longest lnurl decoded (LUD-01 URLs are short; bech32 of a long URL is long). */
const MAX_LNURL = 2000;

/**
 * The LNURL-pay URL of a Lightning address (LUD-16 `name@domain` →
 * `https://domain/.well-known/lnurlp/name`), else of the bech32 `lnurl` (LUD-06); `lud16` first,
 * as wallets do. `insecure` (tests) fetches `name@domain` over plain http. Undefined when neither
 * is usable.
 */
export function lnurlPayUrl(address: LightningAddressRef, insecure = false): string | undefined {
  const lud16 = address.lud16 ? LUD16.exec(address.lud16) : null;
  if (lud16) {
    const [, name, domain] = lud16;
    return `${insecure ? 'http' : 'https'}://${domain}/.well-known/lnurlp/${name}`;
  }
  if (address.lud06?.startsWith('lnurl1') && address.lud06.length <= MAX_LNURL) {
    try {
      const { prefix, words } = bech32.decode(address.lud06 as `${string}1${string}`, MAX_LNURL);
      if (prefix !== 'lnurl') return undefined;
      const url = new TextDecoder('utf-8', { fatal: true }).decode(bech32.fromWords(words));
      const parsed = new URL(url);
      return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
