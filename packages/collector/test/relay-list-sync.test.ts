import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownerOf } from '@nostr-info/shared/relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import type { ReplicaSource } from '../src/shard/replica-count.js';
import { admitRelay, listWatched, seedRelays } from '../src/store/relays-repo.js';
import { createWorld, type TestWorld } from './helpers/context.js';
import { useEmbeddedDatabase } from './helpers/embedded-db.js';
import { TestRelay } from './helpers/test-relay.js';

// The configured relay list is the watched seed set: a relay removed from it stops being watched
// by every replica on their next reconcile tick (the relays table is what they all reconcile
// from), while admitted discovered relays stay watched.

const urls = (rows: { url: string }[]) => rows.map((r) => r.url).sort();

describe('configured relay list', () => {
  let world: TestWorld;

  beforeAll(async () => {
    world = await createWorld('relay-list');
  });
  afterAll(async () => {
    await world.drop();
  });

  it('unwatches seeds removed from the list and keeps admitted discoveries', async () => {
    const ctx = await world.context({ RELAYS: 'wss://a.example.com' });
    const db = ctx.dbs.writer;
    await seedRelays(db, ['wss://a.example.com', 'wss://b.example.com', 'wss://c.example.com']);
    await db
      .insertInto('relays')
      .values({ url: 'wss://d.example.com', source: 'discovered', discovery_count: 3 })
      .execute();
    const d = await db
      .selectFrom('relays')
      .select('id')
      .where('url', '=', 'wss://d.example.com')
      .executeTakeFirstOrThrow();
    expect(await admitRelay(db, d.id, 10)).toBe(true);

    expect(await seedRelays(db, ['wss://a.example.com', 'wss://c.example.com'])).toBe(1);
    expect(urls(await listWatched(db))).toEqual([
      'wss://a.example.com',
      'wss://c.example.com',
      'wss://d.example.com',
    ]);
    const b = await db
      .selectFrom('relays')
      .selectAll()
      .where('url', '=', 'wss://b.example.com')
      .executeTakeFirstOrThrow();
    expect(b).toMatchObject({ source: 'seed', watched: false });

    // Listed again: watched again. An empty list (a broken relay file) changes nothing.
    expect(await seedRelays(db, ['wss://a.example.com', 'wss://b.example.com', 'wss://c.example.com'])).toBe(
      0,
    );
    expect(await seedRelays(db, [])).toBe(0);
    expect(urls(await listWatched(db))).toEqual([
      'wss://a.example.com',
      'wss://b.example.com',
      'wss://c.example.com',
      'wss://d.example.com',
    ]);
  });

  it('stops watching a removed relay on every replica', async () => {
    const relays: TestRelay[] = [];
    // Enough relays that each of the two replicas owns at least two.
    const owned = (ordinal: number) => relays.filter((r) => ownerOf(r.url, 2) === ordinal);
    while (owned(0).length < 2 || owned(1).length < 2) relays.push(await TestRelay.start());
    const services: CollectorService[] = [];
    const replicas: ReplicaSource = { current: 2, stop: () => undefined };
    const start = async (ordinal: number, list: TestRelay[]) => {
      const ctx = await world.context({
        RELAYS: list.map((r) => r.url).join(','),
        COLLECTOR_ORDINAL: String(ordinal),
        COLLECTOR_REPLICAS: '2',
        RECONCILE_INTERVAL_MS: '200',
      });
      const service = await startCollector(ctx, { nip11: false, replicas });
      services.push(service);
      return service;
    };
    try {
      const first = await start(0, relays);
      const second = await start(1, relays);
      const subscribers = (list: TestRelay[]) => list.map((r) => r.subscribers);
      await expect
        .poll(() => subscribers(relays), { timeout: 15_000, message: 'every relay subscribed' })
        .toEqual(relays.map(() => 1));

      // The relay list loses one relay of each replica; only replica 1 restarts with the new list.
      const removed = [owned(0)[0] as TestRelay, owned(1)[0] as TestRelay];
      await second.stop();
      const kept = relays.filter((r) => !removed.includes(r));
      const restarted = await start(1, kept);
      await expect
        .poll(() => [subscribers(removed), subscribers(kept)], {
          timeout: 15_000,
          message: 'removed relays closed, kept relays open',
        })
        .toEqual([removed.map(() => 0), kept.map(() => 1)]);
      // The discovered relay admitted by the first test is still watched (it does not answer here).
      expect([...first.ownedRelays(), ...restarted.ownedRelays()].sort()).toEqual(
        [...kept.map((r) => r.url), 'wss://d.example.com'].sort(),
      );
    } finally {
      for (const s of services) await s.stop();
      for (const r of relays) await r.close();
    }
  });
});

describe('relay list file edited while running', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createWorld('relay-file');
  });
  afterAll(async () => {
    await world.drop();
  });

  it('watches what the edited RELAYS_FILE lists, without a restart', async () => {
    const [a, b, c] = [await TestRelay.start(), await TestRelay.start(), await TestRelay.start()];
    const dir = mkdtempSync(join(tmpdir(), 'nostr-info-relays-'));
    const file = join(dir, 'relays.txt');
    writeFileSync(file, `# seed list\n${a.url}\n${b.url}\n`);
    const ctx = await world.context({ RELAYS_FILE: file, RECONCILE_INTERVAL_MS: '200' });
    const service = await startCollector(ctx, { nip11: false });
    try {
      await expect
        .poll(() => [a.subscribers, b.subscribers], { timeout: 15_000, message: 'listed relays subscribed' })
        .toEqual([1, 1]);
      expect(c.subscribers).toBe(0);
      // The kubelet swaps a ConfigMap's file in place: b leaves the list, c joins it.
      writeFileSync(file, `# seed list, edited\n${a.url}\n${c.url}\n`);
      await expect
        .poll(() => [a.subscribers, b.subscribers, c.subscribers], {
          timeout: 15_000,
          message: 'edited list watched',
        })
        .toEqual([1, 0, 1]);
      expect(service.ownedRelays().sort()).toEqual([a.url, c.url].sort());
      // An empty file (written half-way) changes nothing.
      writeFileSync(file, '');
      await new Promise((r) => setTimeout(r, 800));
      expect(service.ownedRelays().sort()).toEqual([a.url, c.url].sort());
    } finally {
      await service.stop();
      for (const r of [a, b, c]) await r.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('configured relay list on the embedded database', () => {
  const embedded = useEmbeddedDatabase();

  it('unwatches removed seeds', async () => {
    const dbs = embedded();
    await seedRelays(dbs.writer, ['wss://a.example.com', 'wss://b.example.com']);
    expect(await seedRelays(dbs.writer, ['wss://b.example.com'])).toBe(1);
    expect(urls(await listWatched(dbs.writer))).toEqual(['wss://b.example.com']);
  });
});
