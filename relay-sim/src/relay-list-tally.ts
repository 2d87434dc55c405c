import type { NostrEvent } from '@nostr-info/shared/nostr';
import type { EventTally } from './tally.js';
import { classifyRelayUrls, relayUrlsOf } from './truth-derive.js';

/** What `RelayListTally` counts (see `GroundTruth.discoveredRelays`). */
export interface RelayListFigures {
  discoveredRelays: string[];
  rejectedRelayUrls: number;
  discoveryAuthors: Record<string, number>;
}

/**
 * Relay URLs that relay lists and follow lists name: accepted ones once each, rejected ones per
 * entry; and per URL the authors whose latest list of either kind names it.
 */
export class RelayListTally implements EventTally<RelayListFigures> {
  private readonly discovered = new Set<string>();
  private rejected = 0;
  /** `<kind>:<pubkey>` → the latest list of that kind and its accepted URLs. */
  private readonly latest = new Map<string, { ev: NostrEvent; urls: string[] }>();

  add(ev: NostrEvent): void {
    const { accepted, rejected } = classifyRelayUrls(relayUrlsOf(ev));
    for (const u of accepted) this.discovered.add(u);
    this.rejected += rejected;
    if (ev.kind !== 10002 && ev.kind !== 3) return;
    const key = `${ev.kind}:${ev.pubkey}`;
    const current = this.latest.get(key);
    // NIP-01: the greatest created_at wins, ties to the lowest id.
    const newer =
      !current ||
      ev.created_at > current.ev.created_at ||
      (ev.created_at === current.ev.created_at && ev.id < current.ev.id);
    if (newer) this.latest.set(key, { ev, urls: accepted });
  }

  result(): RelayListFigures {
    const byAuthor = new Map<string, Set<string>>();
    for (const { ev, urls } of this.latest.values()) {
      const named = byAuthor.get(ev.pubkey) ?? new Set<string>();
      for (const u of urls) named.add(u);
      byAuthor.set(ev.pubkey, named);
    }
    const authors: Record<string, number> = {};
    for (const named of byAuthor.values()) for (const u of named) authors[u] = (authors[u] ?? 0) + 1;
    return {
      discoveredRelays: [...this.discovered].sort(),
      rejectedRelayUrls: this.rejected,
      discoveryAuthors: authors,
    };
  }
}
