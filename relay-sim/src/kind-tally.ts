import type { NostrEvent } from '@nostr-info/shared/nostr';
import { bump, type EventTally } from './tally.js';

/** Events by kind, and distinct authors. */
export class KindTally implements EventTally<{ uniqueByKind: Record<number, number>; pubkeys: number }> {
  private readonly byKind: Record<number, number> = {};
  private readonly authors = new Set<string>();

  add(ev: NostrEvent): void {
    bump(this.byKind, ev.kind);
    this.authors.add(ev.pubkey);
  }

  result(): { uniqueByKind: Record<number, number>; pubkeys: number } {
    return { uniqueByKind: this.byKind, pubkeys: this.authors.size };
  }
}
