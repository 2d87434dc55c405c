import { createDatabases, type Databases } from '@nostr-info/shared/db';
import { type MigratedTestDatabase, migratedTestDatabase } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aggregator } from '../src/aggregate/aggregator.js';
import { writeBuffer } from '../src/store/flush.js';

// Replicas flush at the same time. Each writes the rows of the relays it holds (status, held
// report) and bumps the discovery count of relays named in relay lists, which are often relays
// another replica holds. Two flushes that lock those rows in different orders deadlock, and
// PostgreSQL aborts one of them.

const PAIRS = 8;
const ROUNDS = 30;

describe('concurrent flushes of two replicas', () => {
  let db: MigratedTestDatabase;
  let a: Databases;
  let b: Databases;
  let ids: number[] = [];

  beforeAll(async () => {
    db = await migratedTestDatabase('collector_lock_order', { poolMax: 2 });
    a = db.dbs;
    b = await createDatabases({ databaseUrl: db.url, poolMax: 2 });
    const urls = Array.from(
      { length: 2 * PAIRS },
      (_, i) => `wss://r${String(i).padStart(2, '0')}.example.com`,
    );
    ids = (
      await a.writer
        .insertInto('relays')
        .values(urls.map((url) => ({ url, source: 'seed' as const, watched: true })))
        .returning('id')
        .execute()
    ).map((r) => r.id);
  });

  afterAll(async () => {
    await b?.close();
    await db?.drop();
  });

  /** One replica's flush: its own relays' status and held report, the other's relays discovered. */
  function flushOf(own: number[], named: number[], at: number) {
    const agg = new Aggregator();
    for (const id of own) agg.buffer.reportStatus({ relayId: id, disconnects: 0, lastEventAt: at });
    // Named in a relay list in the reverse of the order the holder writes them.
    for (const id of [...named].reverse())
      agg.buffer.addDiscovered(
        `wss://r${String(ids.indexOf(id)).padStart(2, '0')}.example.com`,
        'wss://x.example.com',
      );
    const buffer = agg.take();
    buffer.held = own.map((relayId) => ({ relayId, status: 'online' as const, statusChangedAt: at }));
    return buffer;
  }

  it('never deadlock', async () => {
    // Interleaved ownership, so each replica's rows sit between the other's in id order.
    const mine = ids.filter((_, i) => i % 2 === 0);
    const theirs = ids.filter((_, i) => i % 2 === 1);
    const failures: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const at = Date.now();
      const results = await Promise.allSettled([
        writeBuffer(a.writer, flushOf(mine, theirs, at)),
        writeBuffer(b.writer, flushOf(theirs, mine, at)),
      ]);
      for (const r of results)
        if (r.status === 'rejected') failures.push(String((r.reason as Error).cause ?? r.reason));
    }
    expect(failures).toEqual([]);
    const counts = await a.reader.selectFrom('relays').select(['discovery_count']).execute();
    expect(counts.every((r) => r.discovery_count === ROUNDS)).toBe(true);
  });
});
