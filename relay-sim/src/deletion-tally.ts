import type { NostrEvent } from '@nostr-info/shared/nostr';
import type { ArticleVersion } from './article-tally.js';

const HEX64 = /^[0-9a-f]{64}$/;
const KIND = /^(0|[1-9][0-9]{0,4})$/;

/** What `DeletionTally` counts (see `GroundTruth.deletions`). */
export interface DeletionFigures {
  deletions: { total: number; byKind: Record<string, number> };
}

/**
 * NIP-09 deletions (kind 5): counted by the kinds their `k` tags name when they came in time, and,
 * whenever they came, remembered as requests: `a` tags naming the author's own article (kind
 * 30023) up to the deletion's created_at, and `e` tags (when the `k` tags name 30023 or nothing)
 * with the key that asked. An article is deleted when a request of its own author covers its
 * latest version, whichever arrived first.
 */
export class DeletionTally {
  private total = 0;
  private readonly byKind: Record<string, number> = {};
  /** `<pubkey>:<d>` → the newest created_at an own `a` deletion reached. */
  private readonly byAddress = new Map<string, number>();
  /** `<event id>:<pubkey that asked>`. */
  private readonly byId = new Set<string>();

  add(ev: NostrEvent, inTime: boolean): void {
    if (ev.kind !== 5) return;
    const kinds = new Set<string>();
    for (const [name, value] of ev.tags) {
      if (name === 'k' && value !== undefined && KIND.test(value) && Number(value) <= 65535) kinds.add(value);
    }
    if (inTime) {
      this.total += 1;
      if (kinds.size === 0) this.byKind.unknown = (this.byKind.unknown ?? 0) + 1;
      for (const k of kinds) this.byKind[k] = (this.byKind[k] ?? 0) + 1;
    }
    for (const [name, value] of ev.tags) {
      if (value === undefined) continue;
      if (name === 'a') {
        const [kind, pubkey, ...rest] = value.split(':');
        if (kind !== '30023' || pubkey !== ev.pubkey || rest.length === 0) continue;
        const key = `${pubkey}:${rest.join(':')}`;
        this.byAddress.set(key, Math.max(this.byAddress.get(key) ?? 0, ev.created_at));
      } else if (name === 'e' && HEX64.test(value) && (kinds.size === 0 || kinds.has('30023'))) {
        this.byId.add(`${value}:${ev.pubkey}`);
      }
    }
  }

  /** How many of these articles (their latest versions) their own author deleted. */
  deleted(articles: Iterable<ArticleVersion>): number {
    let n = 0;
    for (const a of articles) {
      const until = this.byAddress.get(`${a.pubkey}:${a.d}`);
      if ((until !== undefined && until >= a.created_at) || this.byId.has(`${a.id}:${a.pubkey}`)) n += 1;
    }
    return n;
  }

  result(): DeletionFigures {
    return { deletions: { total: this.total, byKind: { ...this.byKind } } };
  }
}
