import { createDatabases, type Databases } from '@nostr-info/shared/db';
import {
  type MigratedTestDatabase,
  migratedEmbeddedDatabase,
  migratedTestDatabase,
} from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aggregator } from '../src/aggregate/aggregator.js';
import { recordRelayList } from '../src/extract/relay-hints.js';
import type { NostrEvent } from '../src/protocol/event.js';
import { writeBuffer } from '../src/store/flush.js';

// Each pubkey's latest relay list is kept durably and counted once per relay it names, also when
// replicas flush versions of the same authors' lists at the same time, in any order.

const AUTHORS = 12;
const ROUNDS = 20;
const pubkey = (a: number) => a.toString(16).padStart(64, '0');
const relay = (n: number) => `wss://r${n}.example.com`;

/** Version `v` of author `a`'s relay list: it names relays v % 3 and 3 + a % 2. */
function list(a: number, v: number): NostrEvent {
  return {
    id: (a * 1000 + v).toString(16).padStart(64, 'f'),
    pubkey: pubkey(a),
    created_at: 1_000 + v,
    kind: 10002,
    tags: [
      ['r', relay(v % 3)],
      ['r', relay(3 + (a % 2))],
    ],
    content: '',
    sig: '0'.repeat(128),
  };
}

/** What the newest versions (`last` per author) name: distinct authors per relay. */
function expected(last: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let a = 0; a < AUTHORS; a++)
    for (const url of new Set([relay(last % 3), relay(3 + (a % 2))])) out[url] = (out[url] ?? 0) + 1;
  return out;
}

async function authors(dbs: Databases): Promise<Record<string, number>> {
  const rows = await dbs.reader
    .selectFrom('relays')
    .select(['url', 'discovery_authors'])
    .where('discovery_authors', '>', 0)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.url, r.discovery_authors]));
}

function bufferOf(events: NostrEvent[]) {
  const agg = new Aggregator();
  for (const e of events) recordRelayList(agg.buffer, e, 'wss://seed.example.com');
  return agg.take();
}

describe('relay lists flushed by concurrent replicas', () => {
  let db: MigratedTestDatabase;
  let other: Databases;

  beforeAll(async () => {
    db = await migratedTestDatabase('collector_relay_lists', { poolMax: 2 });
    other = await createDatabases({ databaseUrl: db.url, poolMax: 2 });
  });
  afterAll(async () => {
    await other?.close();
    await db?.drop();
  });

  it('counts each author once by its newest list, whichever replica flushes it, without deadlock', async () => {
    const all = Array.from({ length: AUTHORS }, (_, a) => a);
    for (let round = 0; round < ROUNDS; round++) {
      // Both replicas see every author; one flushes the newer version, in the reverse order.
      const older = all.map((a) => list(a, 2 * round));
      const newer = all.map((a) => list(a, 2 * round + 1)).reverse();
      const results = await Promise.allSettled([
        writeBuffer(db.dbs.writer, bufferOf(round % 2 ? newer : older)),
        writeBuffer(other.writer, bufferOf(round % 2 ? older : newer)),
      ]);
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      expect(await authors(db.dbs)).toEqual(expected(2 * round + 1));
    }
    // An old version arriving late changes nothing.
    await writeBuffer(db.dbs.writer, bufferOf(all.map((a) => list(a, 0))));
    expect(await authors(db.dbs)).toEqual(expected(2 * ROUNDS - 1));
    const stored = await db.dbs.reader.selectFrom('relay_list_authors').select('list_event_id').execute();
    expect(stored).toHaveLength(AUTHORS);
  });
});

describe('relay lists on PGlite', () => {
  it('keeps the newest version and counts its authors', async () => {
    const dbs = await migratedEmbeddedDatabase();
    try {
      await writeBuffer(dbs.writer, bufferOf([list(0, 0), list(1, 0), list(1, 1)]));
      expect(await authors(dbs)).toEqual({ [relay(0)]: 1, [relay(1)]: 1, [relay(3)]: 1, [relay(4)]: 1 });
      // A newer version dropping relay 0; a tie on created_at goes to the lower id.
      const tie = { ...list(1, 2), id: '0'.repeat(64), tags: [['r', relay(5)]] };
      await writeBuffer(dbs.writer, bufferOf([list(0, 1), list(1, 2), tie]));
      expect(await authors(dbs)).toEqual({ [relay(1)]: 1, [relay(3)]: 1, [relay(5)]: 1 });
    } finally {
      await dbs.close();
    }
  });
});
