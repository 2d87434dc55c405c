import type { NostrEvent } from '@nostr-info/shared/nostr';
import { tryNormalizeRelayUrl } from '@nostr-info/shared/relay';
import { bolt11Msats } from './bolt11.js';

/** The NIP-89 client name as counted: first `client` tag's value, trimmed, lower-cased; else undefined. */
export function clientOf(ev: NostrEvent): string | undefined {
  const tag = ev.tags.find((t) => t[0] === 'client');
  const name = tag?.[1]?.trim().toLowerCase();
  return name ? name : undefined;
}

/** What the truth reads from one zap receipt. */
export interface ZapFacts {
  /** undefined: bolt11 missing or undecodable; null: no amount. */
  msats: bigint | null | undefined;
  multiplier: string | undefined;
  sender: string | undefined;
  receiver: string | undefined;
}

/** What a zap receipt says: amount from the bolt11 human-readable part, sender, receiver. */
export function zapFacts(ev: NostrEvent): ZapFacts {
  const bolt11 = ev.tags.find((t) => t[0] === 'bolt11')?.[1];
  const msats = bolt11 === undefined ? undefined : bolt11Msats(bolt11);
  let multiplier: string | undefined;
  if (bolt11 && typeof msats === 'bigint') {
    const hrp = bolt11.slice(0, bolt11.lastIndexOf('1')).toLowerCase();
    const last = hrp.at(-1) ?? '';
    multiplier = last !== '' && 'munp'.includes(last) ? last : 'btc';
  }
  let sender = ev.tags.find((t) => t[0] === 'P')?.[1];
  if (!sender) {
    const description = ev.tags.find((t) => t[0] === 'description')?.[1];
    if (description) {
      try {
        const req = JSON.parse(description) as { pubkey?: unknown };
        if (typeof req.pubkey === 'string') sender = req.pubkey;
      } catch {
        // A receipt with a broken description simply has no known sender.
      }
    }
  }
  const receiver = ev.tags.find((t) => t[0] === 'p')?.[1];
  return { msats, multiplier, sender, receiver };
}

/** Relay URLs an event names: kind 10002 `r` tags, kind 3 legacy relay-map keys. */
export function relayUrlsOf(ev: NostrEvent): string[] {
  if (ev.kind === 10002)
    return ev.tags.filter((t) => t[0] === 'r' && typeof t[1] === 'string').map((t) => t[1] ?? '');
  if (ev.kind === 3 && ev.content.trim().startsWith('{')) {
    try {
      const map = JSON.parse(ev.content) as unknown;
      if (map && typeof map === 'object' && !Array.isArray(map)) return Object.keys(map);
    } catch {
      return [];
    }
  }
  return [];
}

/**
 * Splits relay-list URLs into accepted canonical URLs and a rejected count, by the collector's own
 * rule: `normalizeRelayUrl(url, { rejectPrivate: true })` of `@nostr-info/shared`.
 */
export function classifyRelayUrls(urls: string[]): { accepted: string[]; rejected: number } {
  const accepted: string[] = [];
  let rejected = 0;
  for (const u of urls) {
    const c = tryNormalizeRelayUrl(u, { rejectPrivate: true });
    if (c) accepted.push(c);
    else rejected++;
  }
  return { accepted, rejected };
}
