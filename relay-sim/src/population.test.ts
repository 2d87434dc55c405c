import type { NostrEvent } from '@nostr-info/shared/nostr';
import { beforeAll, describe, expect, it } from 'vitest';
import { corruptSignature } from './fixtures.js';
import { generatePopulation, publishPopulation } from './population.js';
import type { Population } from './population-types.js';
import { Rng } from './rng.js';
import { type Signer, verifyNostrEvent, wasmSigner } from './signer.js';
import { startSimNetwork } from './sim-network.js';

const NOW = 1_760_000_000;
let signer: Signer;
let pop: Population;

/** Follow lists read back from the signed events alone: author → followee pubkeys. */
function followLists(events: readonly NostrEvent[]): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  for (const ev of events)
    if (ev.kind === 3)
      lists.set(
        ev.pubkey,
        ev.tags.filter((t) => t[0] === 'p').map((t) => t[1] ?? ''),
      );
  return lists;
}

beforeAll(async () => {
  signer = await wasmSigner();
  pop = generatePopulation({ signer, seed: 'population-test', now: NOW });
});

describe('generatePopulation (defaults: 2,000 organic users, 5,000 bots in 5 farms)', () => {
  it('labels every pubkey the events name, and nothing else', () => {
    const named = new Set<string>();
    for (const ev of pop.events) {
      named.add(ev.pubkey);
      for (const t of ev.tags) if (t[0] === 'p' && t[1]) named.add(t[1]);
    }
    const labelled = Object.keys(pop.truth.accounts);
    expect(new Set(labelled)).toEqual(named);
    const labels = Object.values(pop.truth.accounts).map((a) => a.label);
    expect(labels.filter((l) => l === 'organic')).toHaveLength(2000);
    expect(labels.filter((l) => l === 'bot')).toHaveLength(5000);
    expect(pop.truth.farms.map((f) => f.length)).toEqual([1000, 1000, 1000, 1000, 1000]);
  });

  it('says which keys have a profile and a follow list, their followees and follower counts', () => {
    const lists = followLists(pop.events);
    const profiles = new Set(pop.events.filter((e) => e.kind === 0).map((e) => e.pubkey));
    const followers = new Map<string, number>();
    for (const list of lists.values()) for (const p of list) followers.set(p, (followers.get(p) ?? 0) + 1);
    for (const [pubkey, a] of Object.entries(pop.truth.accounts)) {
      expect(a.hasProfile).toBe(profiles.has(pubkey));
      expect(a.hasFollowList).toBe(lists.has(pubkey));
      expect(a.follows).toEqual(lists.get(pubkey) ?? []);
      expect(a.followers).toBe(followers.get(pubkey) ?? 0);
    }
    const organic = Object.values(pop.truth.accounts).filter((a) => a.label === 'organic');
    expect(organic.filter((a) => a.hasProfile && a.hasFollowList)).toHaveLength(pop.truth.profiledOrganic);
    expect(pop.truth.profiledOrganic / 2000).toBeCloseTo(0.9 * 0.85, 1);
    expect(pop.truth.profiledBots).toBe(5000);
  });

  it('counts the events by kind, and every kind is there', () => {
    const byKind: Record<number, number> = {};
    for (const ev of pop.events) byKind[ev.kind] = (byKind[ev.kind] ?? 0) + 1;
    expect(pop.truth.eventsByKind).toEqual(byKind);
    expect(Object.keys(byKind).map(Number).sort()).toEqual([0, 1, 3, 7]);
    expect(pop.events.length).toBeGreaterThan(20_000);
    expect(new Set(pop.events.map((e) => e.id)).size).toBe(pop.events.length);
  });

  it('has every bot follow only bots of its own farm and organic users', () => {
    const { accounts } = pop.truth;
    for (const [pubkey, list] of followLists(pop.events)) {
      const me = accounts[pubkey];
      if (me?.label !== 'bot') continue;
      for (const p of list) {
        const them = accounts[p];
        expect(them?.label === 'organic' || them?.farm === me.farm).toBe(true);
      }
      expect(list.filter((p) => accounts[p]?.label === 'bot').length).toBeGreaterThanOrEqual(39);
    }
  });

  it('gives the top 1 % of organic users at least 25 % of organic follows', () => {
    const organic = new Set(pop.truth.organic);
    const counts = new Map<string, number>();
    let total = 0;
    for (const [pubkey, list] of followLists(pop.events)) {
      if (!organic.has(pubkey)) continue;
      for (const p of list)
        if (organic.has(p)) {
          counts.set(p, (counts.get(p) ?? 0) + 1);
          total++;
        }
    }
    const top = [...counts.values()].sort((x, y) => y - x).slice(0, 20);
    expect(top.reduce((x, y) => x + y, 0) / total).toBeGreaterThanOrEqual(0.25);
    expect(total).toBe(pop.truth.organicFollows);
  });

  it('returns the configured share of organic follows (0.3 ± 0.05)', () => {
    const organic = new Set(pop.truth.organic);
    const lists = followLists(pop.events);
    const edges = new Set<string>();
    for (const [a, list] of lists)
      if (organic.has(a)) for (const b of list) if (organic.has(b)) edges.add(`${a}>${b}`);
    let mutual = 0;
    for (const e of edges) {
      const [a, b] = e.split('>');
      if (edges.has(`${b}>${a}`)) mutual++;
    }
    expect(Math.abs(mutual / edges.size - 0.3)).toBeLessThanOrEqual(0.05);
    expect(mutual).toBe(pop.truth.mutualOrganicFollows);
  });

  it('lets organic users rarely follow bots, and only bots that follow them', () => {
    const { accounts } = pop.truth;
    const backs = pop.truth.organic.flatMap((u) =>
      (accounts[u]?.follows ?? []).filter((p) => accounts[p]?.label === 'bot').map((b) => [u, b] as const),
    );
    expect(backs.length).toBe(pop.truth.organicFollowsOfBots);
    expect(new Set(backs.map(([, b]) => b)).size).toBeLessThanOrEqual(50);
    for (const [u, b] of backs) expect(accounts[b]?.follows).toContain(u);
  });

  it('names as seeds the profiled organic accounts with the most organic followers', () => {
    const { accounts, seeds } = pop.truth;
    expect(seeds).toHaveLength(20);
    const n = (p: string) => accounts[p]?.organicFollowers ?? 0;
    const last = n(seeds.at(-1) ?? '');
    for (const p of seeds)
      expect(accounts[p]).toMatchObject({ label: 'organic', hasProfile: true, hasFollowList: true });
    for (const p of pop.truth.organic)
      if (!seeds.includes(p) && accounts[p]?.hasProfile && accounts[p]?.hasFollowList)
        expect(n(p)).toBeLessThanOrEqual(last);
    expect(pop.truth.wellKnown.filter((p) => seeds.includes(p)).length).toBeGreaterThanOrEqual(8);
  });

  it('dates everything within the span, reactions after the notes they name', () => {
    const byId = new Map(pop.events.map((e) => [e.id, e]));
    for (const ev of pop.events) {
      expect(ev.created_at).toBeGreaterThanOrEqual(NOW - 1800);
      expect(ev.created_at).toBeLessThanOrEqual(NOW);
      if (ev.kind !== 7) continue;
      const note = byId.get(ev.tags.find((t) => t[0] === 'e')?.[1] ?? '');
      expect(note?.kind).toBe(1);
      expect(ev.created_at).toBeGreaterThanOrEqual(note?.created_at ?? Number.POSITIVE_INFINITY);
    }
  });

  it('signs events whose signatures verify (a sample of 300)', () => {
    const rng = new Rng('sample');
    for (const i of rng.sample(pop.events.length, 300)) {
      const ev = pop.events[i];
      if (!ev) throw new RangeError(`no event ${i}`);
      expect(verifyNostrEvent(ev)).toBe(true);
      expect(verifyNostrEvent(corruptSignature(ev))).toBe(false);
    }
  });
});

describe('generatePopulation (small)', () => {
  const small = { organic: 200, botKeys: 300, farms: 3, seed: 'small', now: NOW, relays: 3 };

  it('gives the same ids and truth for the same seed and now, others for another seed', () => {
    const a = generatePopulation({ ...small, signer });
    const b = generatePopulation({ ...small, signer });
    const c = generatePopulation({ ...small, signer, seed: 'other' });
    expect(b.events.map((e) => e.id)).toEqual(a.events.map((e) => e.id));
    expect(b.truth).toEqual(a.truth);
    expect(new Set(a.events.map((e) => e.id)).size).toBe(a.events.length);
    const ids = new Set(a.events.map((e) => e.id));
    expect(c.events.filter((e) => ids.has(e.id))).toEqual([]);
  });

  it('places organic events on every relay slot and each farm on its own slots', () => {
    const p = generatePopulation({ ...small, signer, farmRelays: [[1], [2], [1, 2]] });
    expect(p.placements.map((x) => x.relays)).toEqual([[0, 1, 2], [1], [2], [1, 2]]);
    const published: { count: number; relays: number[] | undefined }[] = [];
    const copies = publishPopulation(
      {
        publish: (events, relays) => {
          published.push({ count: events.length, relays });
          return events.length * (relays?.length ?? 0);
        },
      },
      p,
    );
    expect(published.reduce((n, x) => n + x.count, 0)).toBe(p.events.length);
    const farmOf = (ev: NostrEvent) => p.truth.accounts[ev.pubkey]?.farm;
    p.placements.slice(1).forEach((x, f) => {
      expect(x.events.every((ev) => farmOf(ev) === f)).toBe(true);
    });
    expect(p.placements[0]?.events.every((ev) => farmOf(ev) === null)).toBe(true);
    expect(copies).toBe(p.placements.reduce((n, x) => n + x.events.length * x.relays.length, 0));
  });

  it('is served by a simulated network, each relay holding its placements', async () => {
    const p = generatePopulation({ ...small, signer, farmRelays: [[1], [2], [1, 2]] });
    const net = await startSimNetwork({ relays: 3, corpusSize: 10, autoStart: false, signer });
    try {
      publishPopulation(net, p);
      const truth = net.truth({ scope: 'emitted' });
      const held = (slot: number) =>
        p.placements.filter((x) => x.relays.includes(slot)).reduce((n, x) => n + x.events.length, 0);
      expect(net.urls.map((u) => truth.relays[u]?.valid)).toEqual([held(0), held(1), held(2)]);
      expect(truth.uniqueByKind).toEqual(p.truth.eventsByKind);
      expect(truth.pubkeys).toBe(new Set(p.events.map((e) => e.pubkey)).size);
      expect(truth.replaceableByKind).toEqual({ 0: p.truth.eventsByKind[0], 3: p.truth.eventsByKind[3] });
    } finally {
      await net.stop();
    }
  });
});
