import type { NostrEvent } from '@nostr-info/shared/nostr';
import type { EventTally } from './tally.js';

/** The latest version of one article: newest created_at, ties to the lowest id (NIP-01). */
export interface ArticleVersion {
  pubkey: string;
  d: string;
  created_at: number;
  id: string;
}

/** Long-form articles (kind 30023): distinct (pubkey, `d` tag), and every version seen. */
export class ArticleTally implements EventTally<{ articles: number; articleVersions: number }> {
  private readonly articles = new Map<string, ArticleVersion>();
  private versions = 0;

  add(ev: NostrEvent): void {
    if (ev.kind !== 30023) return;
    this.versions++;
    const d = ev.tags.find((t) => t[0] === 'd')?.[1] ?? '';
    const key = `${ev.pubkey}:${d}`;
    const cur = this.articles.get(key);
    if (!cur || ev.created_at > cur.created_at || (ev.created_at === cur.created_at && ev.id < cur.id)) {
      this.articles.set(key, { pubkey: ev.pubkey, d, created_at: ev.created_at, id: ev.id });
    }
  }

  /** Each article's latest version. */
  latest(): Iterable<ArticleVersion> {
    return this.articles.values();
  }

  result(): { articles: number; articleVersions: number } {
    return { articles: this.articles.size, articleVersions: this.versions };
  }
}
