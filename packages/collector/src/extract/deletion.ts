import type { NostrEvent } from '../protocol/event.js';

/** Kind of a long-form article (NIP-23): the only kind whose deletions change a figure. */
export const ARTICLE_KIND = 30023;

/** Most `a` and `e` tags read from one deletion (a frame holds at most ~15,000 tags). */
export const MAX_DELETION_TARGETS = 1000;

/** What a NIP-09 deletion (kind 5) says, reduced to what the statistics need. */
export interface Deletion {
  /** Distinct kinds its `k` tags name (integers 0–65535); empty when it names none. */
  kinds: number[];
  /** `d` tags of the author's own articles it deletes by address (`a` = `30023:<own pubkey>:<d>`). */
  articles: string[];
  /**
   * Event ids it deletes by `e` tag, kept only when they may be articles: its `k` tags name kind
   * 30023, or it has none. Whether an id is the author's own article is settled later, against
   * the article's latest version (the deletion may arrive before the article).
   */
  eventIds: string[];
}

const HEX64 = /^[0-9a-f]{64}$/;
const KIND_TEXT = /^(0|[1-9][0-9]{0,4})$/;

/**
 * Reads a kind 5 event. An `a` tag counts only for an article of the deletion's own pubkey: a
 * deletion by anyone else changes nothing (NIP-09: relays and clients honour a deletion only from
 * the author of what it deletes).
 */
export function readDeletion(event: NostrEvent): Deletion {
  const kinds = new Set<number>();
  const articles = new Set<string>();
  const ids = new Set<string>();
  let targets = 0;
  for (const tag of event.tags) {
    const [name, value] = tag;
    if (value === undefined) continue;
    if (name === 'k') {
      if (KIND_TEXT.test(value) && Number(value) <= 65535) kinds.add(Number(value));
    } else if ((name === 'a' || name === 'e') && targets < MAX_DELETION_TARGETS) {
      targets += 1;
      if (name === 'e') {
        if (HEX64.test(value)) ids.add(value);
        continue;
      }
      const first = value.indexOf(':');
      const second = first < 0 ? -1 : value.indexOf(':', first + 1);
      if (second < 0 || value.slice(0, first) !== String(ARTICLE_KIND)) continue;
      if (value.slice(first + 1, second) === event.pubkey) articles.add(value.slice(second + 1));
    }
  }
  const mayBeArticles = kinds.size === 0 || kinds.has(ARTICLE_KIND);
  return {
    kinds: [...kinds].sort((a, b) => a - b),
    articles: [...articles],
    eventIds: mayBeArticles ? [...ids] : [],
  };
}
