import { describe, expect, it } from 'vitest';
import { ArticleTally } from './article-tally.js';
import { makeEvent } from './fixtures.js';

const article = (keyIndex: number, d: string | undefined, created_at: number) =>
  makeEvent({ kind: 30023, keyIndex, created_at, tags: d === undefined ? [] : [['d', d]] });

describe('ArticleTally', () => {
  it('counts distinct (author, d tag) articles and every version', () => {
    const tally = new ArticleTally();
    tally.add(article(0, 'post', 1));
    tally.add(article(0, 'post', 2));
    tally.add(article(1, 'post', 1));
    tally.add(article(0, undefined, 1));
    tally.add(article(0, '', 2));
    tally.add(makeEvent({ kind: 1, tags: [['d', 'post']] }));
    expect(tally.result()).toEqual({ articles: 3, articleVersions: 5 });
  });
});
