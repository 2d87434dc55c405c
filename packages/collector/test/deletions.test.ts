import {
  DEFAULT_KIND_WEIGHTS,
  makeEvent,
  type NostrEvent,
  type SimNetwork,
  startSimNetwork,
} from '@nostr-info/relay-sim';
import { eventsSchema, overviewSchema } from '@nostr-info/shared/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import { dbFigures, truthFigures } from './helpers/compare.js';
import { createWorld, type TestWorld } from './helpers/context.js';
import { schedulerSnapshot } from './helpers/snapshot.js';
import { streamFor } from './helpers/stream.js';

// NIP-09 deletions. An author's deletion of their own article, by `a` tag (versions up to the
// deletion's created_at) or by the `e` of its latest version, takes the article out of the
// distinct-articles figure, whichever of the two arrives first; anyone else's deletion does
// nothing. Deletions are counted by the kinds their `k` tags name (`unknown`: none).
// (@nostr-relay neither stores kind 5 nor passes it on live: deletions are tested here only.)

const ARTICLE = 30023;

/** Hand-built cases with their expected effect, published in this order (relay indexes). */
function deletionCases(now: number) {
  const ev = (key: number, kind: number, tags: string[][] = [], dt = 0, content = ''): NostrEvent =>
    makeEvent({ kind, keyIndex: key, seed: 'collector-deletions', tags, content, created_at: now + dt });
  const pub = (key: number) => ev(key, 1).pubkey;
  const [k1, k2, k3] = [pub(1), pub(2), pub(3)];
  const a = ev(1, ARTICLE, [['d', 'a']], 0, 'A');
  const b = ev(1, ARTICLE, [['d', 'b']], 0, 'B');
  const c = ev(2, ARTICLE, [['d', 'c']], 0, 'C');
  const e = ev(2, ARTICLE, [['d', 'e']], 5, 'E');
  const f1 = ev(3, ARTICLE, [['d', 'f']], 0, 'F1');
  const f2 = ev(3, ARTICLE, [['d', 'f']], 1, 'F2');
  const g = ev(3, ARTICLE, [['d', 'g']], 10, 'G');
  const note = ev(1, 1, [], 0, 'note');
  const reaction = ev(1, 7, [['e', note.id]], 0, '+');
  const k = (kind: number) => ['k', String(kind)];
  const steps: [NostrEvent, number[]][] = [
    // Deleted by its author's `a` tag.
    [a, [0]],
    [ev(1, 5, [['a', `${ARTICLE}:${k1}:a`], k(ARTICLE)], 1), [1, 2]],
    // Deleted by the `e` of its latest version, no `k` tag.
    [b, [0, 1]],
    [ev(1, 5, [['e', b.id]]), [2]],
    // Another key's deletion does nothing.
    [c, [1]],
    [ev(3, 5, [['a', `${ARTICLE}:${k2}:c`], ['e', c.id], k(ARTICLE)]), [0]],
    // The deletion arrives before the article it deletes (created the same second).
    [ev(2, 5, [['a', `${ARTICLE}:${k2}:e`], k(ARTICLE)], 5), [1]],
    [e, [0]],
    // Deleting an older version by `e` leaves the article standing.
    [f1, [0]],
    [f2, [2]],
    [ev(3, 5, [['e', f1.id], k(ARTICLE)]), [0]],
    // A deletion older than the article's latest version leaves it standing.
    [g, [1]],
    [ev(3, 5, [['a', `${ARTICLE}:${k3}:g`], k(ARTICLE)], 2), [1]],
    // The author deletes a note and a reaction: counted under kinds 1 and 7.
    [note, [0]],
    [reaction, [2]],
    [ev(1, 5, [['e', note.id], ['e', reaction.id], k(1), k(7)]), [0]],
  ];
  return steps;
}

describe('NIP-09 deletions, case by case', () => {
  let world: TestWorld;
  let net: SimNetwork;
  let service: CollectorService | undefined;

  beforeAll(async () => {
    world = await createWorld('deletions');
    net = await startSimNetwork({ relays: 3, seed: 'collector-deletions', autoStart: false });
  });
  afterAll(async () => {
    await service?.stop();
    await net?.stop();
    await world?.drop();
  });

  it('take an author’s own articles out, in whatever order, and are counted by kind', async () => {
    const ctx = await world.context({ RELAYS: net.urls.join(',') });
    service = await startCollector(ctx, { nip11: false });
    await net.waitForSubscribers(net.urls.length, 15_000);
    for (const [event, relays] of deletionCases(Math.floor(Date.now() / 1000))) {
      expect(net.publish([event], relays)).toBe(relays.length);
    }
    await net.drain();
    await new Promise((r) => setTimeout(r, 800));
    await service.stop();
    service = undefined;

    // The ground truth applies the same rule: six articles, three deleted (A, B, E).
    const truth = net.truth();
    expect(truth.articles).toBe(3);
    expect(truth.articlesDeleted).toBe(3);
    const byKind = { [ARTICLE]: 5, unknown: 1, 1: 1, 7: 1 };
    expect(truth.deletions).toEqual({ total: 7, byKind });

    const snapshot = await schedulerSnapshot(world);
    eventsSchema.parse(snapshot.events);
    overviewSchema.pick({ articles: true, articles_deleted: true }).parse(snapshot.overview);
    expect(snapshot.overview.articles).toBe(3);
    expect(snapshot.overview.articles_deleted).toBe(3);
    expect(snapshot.events.deletions).toEqual({
      total: 7,
      by_kind: { '30023': 5, unknown: 1, '1': 1, '7': 1 },
    });
    expect(snapshot.events.by_kind['5']).toBe(7);
  });
});

describe('NIP-09 deletions in a streamed corpus', () => {
  let world: TestWorld;
  let net: SimNetwork;
  let service: CollectorService | undefined;

  beforeAll(async () => {
    world = await createWorld('deletions_corpus');
    net = await startSimNetwork({
      relays: 5,
      seed: 'collector-deletions-corpus',
      rate: 300,
      corpusSize: 1200,
      copies: 3,
      kinds: { ...DEFAULT_KIND_WEIGHTS, 5: 0.1, [ARTICLE]: 0.15 },
      autoStart: false,
    });
  });
  afterAll(async () => {
    await service?.stop();
    await net?.stop();
    await world?.drop();
  });

  it('equal the ground truth exactly', async () => {
    const ctx = await world.context({ RELAYS: net.urls.join(','), FLUSH_MAX_EVENTS: '200' });
    service = await startCollector(ctx, { nip11: false });
    await net.waitForSubscribers(net.urls.length, 15_000);
    await streamFor(net, 3000);
    await service.stop();
    service = undefined;

    const truth = net.truth();
    expect(truth.articlesDeleted).toBeGreaterThan(0);
    expect(truth.deletions.total).toBeGreaterThan(truth.articlesDeleted);
    expect(truth.deletions.byKind.unknown).toBeGreaterThan(0);
    // The articles table keeps deleted articles (a newer version could bring one back).
    const got = await dbFigures(ctx.dbs.reader);
    expect({ ...got, articles: got.articles - truth.articlesDeleted }).toEqual(truthFigures(truth, net.urls));

    const snapshot = await schedulerSnapshot(world);
    expect(snapshot.overview.articles).toBe(truth.articles);
    expect(snapshot.overview.articles_deleted).toBe(truth.articlesDeleted);
    expect(snapshot.events.deletions).toEqual({
      total: truth.deletions.total,
      by_kind: truth.deletions.byKind,
    });
  });
});
