import { tryNormalizeRelayUrl } from '@nostr-info/shared/relay';
import type { NostrEvent } from '../protocol/event.js';

/** At most this many URLs are taken from one event (relay lists can be padded with junk). */
const MAX_PER_EVENT = 50;

/**
 * Relay URLs an event advertises: kind 10002 `r` tags (NIP-65) and the legacy relay map in kind 3
 * content. Normalised; non-ws(s), local and private addresses are dropped.
 */
export function relayHints(event: NostrEvent): string[] {
  const raw: string[] = [];
  if (event.kind === 10002) {
    for (const tag of event.tags) if (tag[0] === 'r' && tag[1]) raw.push(tag[1]);
  } else if (event.kind === 3 && event.content.trim().startsWith('{')) {
    try {
      const map = JSON.parse(event.content) as unknown;
      if (map && typeof map === 'object' && !Array.isArray(map)) raw.push(...Object.keys(map));
    } catch {
      // Kind 3 content is free text for most clients; only a JSON object is a relay map.
    }
  }
  const urls = new Set<string>();
  for (const candidate of raw.slice(0, MAX_PER_EVENT * 2)) {
    if (candidate.length > 512) continue;
    const url = tryNormalizeRelayUrl(candidate, { rejectPrivate: true });
    if (url) urls.add(url);
    if (urls.size >= MAX_PER_EVENT) break;
  }
  return [...urls];
}
