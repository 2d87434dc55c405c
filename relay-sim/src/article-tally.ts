import type { NostrEvent } from '@nostr-info/shared/nostr';
import type { EventTally } from './tally.js';

/** Long-form articles (kind 30023): distinct (pubkey, `d` tag), and every version seen. */
export class ArticleTally implements EventTally<{ articles: number; articleVersions: number }> {
  private readonly articles = new Set<string>();
  private versions = 0;

  add(ev: NostrEvent): void {
    if (ev.kind !== 30023) return;
    this.versions++;
    const d = ev.tags.find((t) => t[0] === 'd')?.[1] ?? '';
    this.articles.add(`${ev.pubkey}:${d}`);
  }

  result(): { articles: number; articleVersions: number } {
    return { articles: this.articles.size, articleVersions: this.versions };
  }
}
