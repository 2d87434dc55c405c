import type { NostrEvent } from '@nostr-info/shared/nostr';
import type { Rng } from './rng.js';
import type { Signer } from './signer.js';

interface Author {
  secret: Uint8Array;
  pubkey: string;
}

interface Article {
  author: Author;
  d: string;
  latest: NostrEvent;
  /** A version before `latest`, if any. */
  older: NostrEvent | undefined;
}

/** The kinds of deletion a corpus carries, chosen in turn at random. */
export const DELETION_CASES = [
  'own-article-by-address',
  'own-article-by-id',
  'own-older-version-by-id',
  'other-key',
  'before-article',
  'own-notes',
] as const;

/**
 * NIP-09 deletions (kind 5) for a corpus whose kind weights include 5, each one of
 * `DELETION_CASES`: an author deleting their own article by `a` tag (`k` 30023) or by the `e` of
 * its latest version (no `k` tag), or an older version by `e` (which leaves the article standing);
 * another key "deleting" someone's article (nothing happens); a deletion published before the
 * article it deletes (created at the same second; the article follows it in the corpus); an
 * author deleting their own notes and reactions (`k` 1 and 7). The ground truth applies the rule
 * to whatever the stream delivers, so the corpus need not say which deletions take effect.
 */
export class CorpusDeletions {
  private readonly articles: Article[] = [];
  private readonly byKey = new Map<string, Article>();
  private readonly notes = new Map<string, NostrEvent[]>();
  private readonly secrets = new Map<string, Author>();
  private early = 0;

  constructor(
    private readonly signer: Signer,
    authors: readonly Author[],
  ) {
    for (const a of authors) this.secrets.set(a.pubkey, a);
  }

  /** Every corpus event, in order: articles and notes that later deletions may name. */
  observe(ev: NostrEvent): void {
    if (ev.kind === 30023) {
      const author = this.secrets.get(ev.pubkey);
      const d = ev.tags.find((t) => t[0] === 'd')?.[1] ?? '';
      if (!author) return;
      const key = `${ev.pubkey}:${d}`;
      const known = this.byKey.get(key);
      if (!known) {
        const article = { author, d, latest: ev, older: undefined };
        this.byKey.set(key, article);
        this.articles.push(article);
      } else if (ev.created_at >= known.latest.created_at) {
        known.older = known.latest;
        known.latest = ev;
      }
    } else if (ev.kind === 1 || ev.kind === 7) {
      const list = this.notes.get(ev.pubkey) ?? [];
      list.push(ev);
      if (list.length > 4) list.shift();
      this.notes.set(ev.pubkey, list);
    }
  }

  /** The events for one deletion slot at `createdAt`: the deletion, and its article for `before-article`. */
  next(rng: Rng, createdAt: number, authors: readonly Author[]): NostrEvent[] {
    const which = rng.pick(DELETION_CASES);
    const article = this.articles.length > 0 ? rng.pick(this.articles) : undefined;
    const sign = (by: Author, tags: string[][], at = createdAt) =>
      this.signer.finalize({ kind: 5, created_at: at, tags, content: '' }, by.secret);
    const address = (a: Article) => `30023:${a.author.pubkey}:${a.d}`;
    if (which === 'own-notes') {
      const author = rng.pick(authors);
      const own = this.notes.get(author.pubkey) ?? [];
      const kinds = [...new Set(own.map((e) => String(e.kind)))];
      return [sign(author, [...own.map((e) => ['e', e.id]), ...kinds.map((k) => ['k', k])])];
    }
    if (which === 'before-article' || !article) {
      const author = rng.pick(authors);
      const d = `deleted-early-${this.early++}`;
      const deletion = sign(author, [
        ['a', `30023:${author.pubkey}:${d}`],
        ['k', '30023'],
      ]);
      const published = this.signer.finalize(
        { kind: 30023, created_at: createdAt, tags: [['d', d]], content: `# ${d}` },
        author.secret,
      );
      return [deletion, published];
    }
    const at = Math.max(createdAt, article.latest.created_at);
    switch (which) {
      case 'own-article-by-address':
        return [
          sign(
            article.author,
            [
              ['a', address(article)],
              ['k', '30023'],
            ],
            at,
          ),
        ];
      case 'own-article-by-id':
        return [sign(article.author, [['e', article.latest.id]], at)];
      case 'own-older-version-by-id': {
        const target = article.older ?? article.latest;
        return [
          sign(
            article.author,
            [
              ['e', target.id],
              ['k', '30023'],
            ],
            at,
          ),
        ];
      }
      default: {
        const other = authors.find((a) => a.pubkey !== article.author.pubkey) ?? article.author;
        return [
          sign(
            other,
            [
              ['a', address(article)],
              ['e', article.latest.id],
              ['k', '30023'],
            ],
            at,
          ),
        ];
      }
    }
  }
}
