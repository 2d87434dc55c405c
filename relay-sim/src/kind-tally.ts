import type { NostrEvent } from '@nostr-info/shared/nostr';
import { bump, type EventTally } from './tally.js';

type KindTruth = { uniqueByKind: Record<number, number>; pubkeys: number; userPubkeys: number };

/** Events by kind, distinct authors, and distinct authors of anything but zap receipts (users). */
export class KindTally implements EventTally<KindTruth> {
  private readonly byKind: Record<number, number> = {};
  private readonly authors = new Set<string>();
  private readonly users = new Set<string>();

  add(ev: NostrEvent): void {
    bump(this.byKind, ev.kind);
    this.authors.add(ev.pubkey);
    if (ev.kind !== 9735) this.users.add(ev.pubkey);
  }

  result(): KindTruth {
    return { uniqueByKind: this.byKind, pubkeys: this.authors.size, userPubkeys: this.users.size };
  }
}
