import type { NostrEvent } from '@nostr-info/shared/nostr';
import type { EventTally } from './tally.js';
import { classifyRelayUrls, relayUrlsOf } from './truth-derive.js';

/** What `RelayListTally` counts (see `GroundTruth.discoveredRelays`). */
export interface RelayListFigures {
  discoveredRelays: string[];
  rejectedRelayUrls: number;
}

/** Relay URLs that relay lists and follow lists name: accepted ones once each, rejected ones per entry. */
export class RelayListTally implements EventTally<RelayListFigures> {
  private readonly discovered = new Set<string>();
  private rejected = 0;

  add(ev: NostrEvent): void {
    const { accepted, rejected } = classifyRelayUrls(relayUrlsOf(ev));
    for (const u of accepted) this.discovered.add(u);
    this.rejected += rejected;
  }

  result(): RelayListFigures {
    return { discoveredRelays: [...this.discovered].sort(), rejectedRelayUrls: this.rejected };
  }
}
