import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aggregator } from '../src/aggregate/aggregator.js';
import { relayHints } from '../src/extract/relay-hints.js';
import type { NostrEvent } from '../src/protocol/event.js';
import { writeBuffer } from '../src/store/flush.js';
import { admitRelay, listCandidates, listWatched, seedRelays } from '../src/store/relays-repo.js';
import { createWorld, type TestWorld } from './helpers/context.js';

// Discovery bookkeeping on the real database: advertised relays are recorded as `discovered`
// (not watched) with where they were seen, and admission respects the configured cap.

describe('relay discovery and admission', () => {
  let world: TestWorld;
  let ctx: Awaited<ReturnType<TestWorld['context']>>;

  beforeAll(async () => {
    world = await createWorld('repo');
    ctx = await world.context({ RELAYS: 'wss://seed.example.com' });
  });
  afterAll(async () => {
    await world.drop();
  });

  it('records advertised relays as discovered and admits no more than the cap', async () => {
    const db = ctx.dbs.writer;
    await seedRelays(db, ['wss://seed.example.com', 'wss://nos.lol']);
    const relayList: NostrEvent = {
      id: '0'.repeat(64),
      pubkey: '1'.repeat(64),
      created_at: 1,
      kind: 10002,
      tags: [
        ['r', 'wss://a.example.com'],
        ['r', 'wss://b.example.com/'],
        ['r', 'wss://c.example.com'],
        ['r', 'wss://nos.lol'],
        ['r', 'ws://192.168.1.10'],
      ],
      content: '',
      sig: '0'.repeat(128),
    };
    const aggregator = new Aggregator();
    for (let i = 0; i < 2; i++) {
      for (const url of relayHints(relayList)) aggregator.buffer.addDiscovered(url, 'wss://seed.example.com');
    }
    await writeBuffer(db, aggregator.take());

    const rows = await db.selectFrom('relays').selectAll().orderBy('url').execute();
    expect(rows.map((r) => r.url)).toEqual([
      'wss://a.example.com',
      'wss://b.example.com',
      'wss://c.example.com',
      'wss://nos.lol',
      'wss://seed.example.com',
    ]);
    const a = rows.find((r) => r.url === 'wss://a.example.com');
    expect(a).toMatchObject({
      source: 'discovered',
      watched: false,
      discovered_from: 'wss://seed.example.com',
      discovery_count: 2,
    });
    // A seed advertised again stays a watched seed.
    expect(rows.find((r) => r.url === 'wss://nos.lol')).toMatchObject({ source: 'seed', watched: true });

    const candidates = await listCandidates(db, 10);
    expect(candidates.map((c) => c.url).sort()).toEqual([
      'wss://a.example.com',
      'wss://b.example.com',
      'wss://c.example.com',
    ]);
    const admitted = [];
    for (const c of candidates) admitted.push(await admitRelay(db, c.id, 2));
    expect(admitted.filter(Boolean)).toHaveLength(2);
    expect((await listWatched(db)).length).toBe(4);
  });
});
