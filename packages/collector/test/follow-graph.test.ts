import { createDatabases, type Databases } from '@nostr-info/shared/db';
import { type MigratedTestDatabase, migratedTestDatabase } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aggregator, followsOf, MAX_FOLLOWS } from '../src/aggregate/aggregator.js';
import type { NostrEvent } from '../src/protocol/event.js';
import { writeBuffer } from '../src/store/flush.js';

// Each pubkey's newest follow list is the follow graph's edges, whichever replica flushes which
// version and in whatever order the versions arrive.

const key = (n: number) => n.toString(16).padStart(64, '0');
const NOW_MS = Date.parse('2026-12-05T16:00:00Z');

/** A follow list of `author` naming `follows`, created `createdSec` (an id per version). */
function contactList(author: number, follows: number[], createdSec: number, idTail = 0): NostrEvent {
  return {
    id: `${author.toString(16).padStart(8, '0')}${createdSec.toString(16).padStart(12, '0')}${idTail
      .toString(16)
      .padStart(44, '0')}`,
    pubkey: key(author),
    created_at: createdSec,
    kind: 3,
    tags: follows.map((f) => ['p', key(f)]),
    content: '',
    sig: '0'.repeat(128),
  };
}

function bufferOf(events: NostrEvent[]) {
  const agg = new Aggregator();
  for (const e of events) agg.recordUntimely(e, NOW_MS, 'late');
  return agg.take();
}

/** The stored followees of `author`, as key numbers, sorted. */
async function followeesOf(dbs: Databases, author: number): Promise<number[] | undefined> {
  const row = await dbs.reader
    .selectFrom('follow_lists as f')
    .innerJoin('pubkey_ids as p', 'p.id', 'f.follower_id')
    .select(['f.followees'])
    .where('p.pubkey', '=', key(author))
    .executeTakeFirst();
  if (!row) return undefined;
  const names = await dbs.reader
    .selectFrom('pubkey_ids')
    .select('pubkey')
    .where('id', 'in', row.followees.length ? row.followees : [-1])
    .execute();
  return names.map((n) => Number.parseInt(n.pubkey, 16)).sort((a, b) => a - b);
}

describe('the follow graph', () => {
  let db: MigratedTestDatabase;
  let other: Databases;

  beforeAll(async () => {
    db = await migratedTestDatabase('collector_follow_graph', { poolMax: 2 });
    other = await createDatabases({ databaseUrl: db.url, poolMax: 2 });
  });
  afterAll(async () => {
    await other?.close();
    await db?.drop();
  });

  it('keeps valid p tags once, without the author, at most MAX_FOLLOWS', () => {
    const e = contactList(1, [2, 3, 2, 1], 100);
    e.tags.push(['p', 'ABC'], ['p', 'AB'.repeat(32)], ['e', key(5)], ['p']);
    e.tags.push(['p', `${key(6).slice(0, 63)}g`]);
    expect(followsOf(e)).toEqual([key(2), key(3)]);
    const big = contactList(
      1,
      Array.from({ length: MAX_FOLLOWS + 50 }, (_, i) => i + 10),
      100,
    );
    expect(followsOf(big)).toHaveLength(MAX_FOLLOWS);
  });

  it('counts a long list toward the buffer bound and keeps it when a flush is merged back', () => {
    const buffer = bufferOf([contactList(1, [2, 3, 4], 100)]);
    expect(buffer.follows).toBe(3);
    const live = bufferOf([contactList(1, [2], 90)]);
    live.mergeFrom(buffer);
    expect(live.follows).toBe(3);
    expect(live.replaceable.get(`3|${key(1)}`)?.follows).toEqual([key(2), key(3), key(4)]);
  });

  it('replaces a list only with a newer one; a late older list changes nothing; ties to the lowest id', async () => {
    await writeBuffer(db.dbs.writer, bufferOf([contactList(10, [11, 12, 13], 1000)]));
    expect(await followeesOf(db.dbs, 10)).toEqual([11, 12, 13]);
    await writeBuffer(db.dbs.writer, bufferOf([contactList(10, [12, 14], 1001, 3)]));
    expect(await followeesOf(db.dbs, 10)).toEqual([12, 14]);
    // An older version arriving late.
    await writeBuffer(db.dbs.writer, bufferOf([contactList(10, [11, 15], 999)]));
    expect(await followeesOf(db.dbs, 10)).toEqual([12, 14]);
    // Same created_at: the lower id wins, whichever arrives last.
    await writeBuffer(db.dbs.writer, bufferOf([contactList(10, [16], 1001, 1)]));
    expect(await followeesOf(db.dbs, 10)).toEqual([16]);
    await writeBuffer(db.dbs.writer, bufferOf([contactList(10, [17], 1001, 5)]));
    expect(await followeesOf(db.dbs, 10)).toEqual([16]);
    // A newer empty list clears the edges.
    await writeBuffer(db.dbs.writer, bufferOf([contactList(10, [], 1002)]));
    expect(await followeesOf(db.dbs, 10)).toEqual([]);
  });

  it('two replicas flushing versions of the same lists leave exactly the newest, without deadlock', async () => {
    const authors = Array.from({ length: 15 }, (_, i) => 100 + i);
    const follows = (a: number, v: number) => [200 + ((a + v) % 7), 300 + v, 400 + (a % 3)];
    for (let round = 0; round < 12; round++) {
      const older = authors.map((a) => contactList(a, follows(a, 2 * round), 5000 + 2 * round));
      const newer = authors.map((a) => contactList(a, follows(a, 2 * round + 1), 5001 + 2 * round)).reverse();
      const results = await Promise.allSettled([
        writeBuffer(db.dbs.writer, bufferOf(round % 2 ? newer : older)),
        writeBuffer(other.writer, bufferOf(round % 2 ? older : newer)),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      for (const a of authors)
        expect(await followeesOf(db.dbs, a)).toEqual(follows(a, 2 * round + 1).sort((x, y) => x - y));
    }
    // Every key got one id: the dictionary has no duplicates and no gaps from known keys.
    const { n, distinct } = await db.dbs.reader
      .selectFrom('pubkey_ids')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.count<number>('pubkey').distinct().as('distinct'),
      ])
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(Number(distinct));
  });
});
