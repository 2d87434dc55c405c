import type { NostrEvent } from '@nostr-info/shared/nostr';
import { bump, type EventTally } from './tally.js';

/** Kinds whose latest event per author the truth keeps: profile, follow list, relay list. */
const REPLACEABLE_KINDS = new Set([0, 3, 10002]);

/** What `ReplaceableTally` counts (see `GroundTruth.replaceable`). */
export interface ReplaceableFigures {
  replaceable: Record<string, { id: string; created_at: number }>;
  replaceableByKind: Record<number, number>;
}

/** The latest replaceable event per kind and author: greatest created_at, ties to the lowest id (NIP-01). */
export class ReplaceableTally implements EventTally<ReplaceableFigures> {
  private readonly latest: Record<string, { id: string; created_at: number }> = {};

  add(ev: NostrEvent): void {
    if (!REPLACEABLE_KINDS.has(ev.kind)) return;
    const key = `${ev.kind}:${ev.pubkey}`;
    const cur = this.latest[key];
    if (!cur || ev.created_at > cur.created_at || (ev.created_at === cur.created_at && ev.id < cur.id)) {
      this.latest[key] = { id: ev.id, created_at: ev.created_at };
    }
  }

  result(): ReplaceableFigures {
    const replaceableByKind: Record<number, number> = {};
    for (const key of Object.keys(this.latest)) bump(replaceableByKind, Number(key.split(':')[0]));
    return { replaceable: this.latest, replaceableByKind };
  }
}
