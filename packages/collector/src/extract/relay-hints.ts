import { tryNormalizeRelayUrl } from '@nostr-info/shared/relay';
import type { DiscoveredRow, RelayListRow } from '../aggregate/counter-rows.js';
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

/** Where a relay list's findings go (the live counter buffer). */
export interface RelayListSink {
  addDiscovered(url: DiscoveredRow['url'], from: DiscoveredRow['from']): void;
  addRelayList(row: RelayListRow): void;
}

/**
 * Records a network-unique relay list (kind 10002) or contact list (kind 3): each URL it names is
 * discovered (once per event, `discovery_count`), and the list itself is kept as its author's
 * latest of that kind, even when it names no usable URL (it replaces an older one that did).
 * Candidates rank by the distinct authors whose latest lists name them, so a key publishing a
 * thousand versions counts once.
 */
export function recordRelayList(sink: RelayListSink, event: NostrEvent, from: string): void {
  if (event.kind !== 10002 && event.kind !== 3) return;
  const urls = relayHints(event);
  for (const url of urls) sink.addDiscovered(url, from);
  sink.addRelayList({
    pubkey: event.pubkey,
    kind: event.kind,
    eventId: event.id,
    createdAt: event.created_at * 1000,
    urls,
  });
}
