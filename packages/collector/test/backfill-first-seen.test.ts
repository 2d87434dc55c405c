import { type MigratedTestDatabase, migratedTestDatabase } from '@nostr-info/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aggregator } from '../src/aggregate/aggregator.js';
import { writeHistoryPage } from '../src/backfill/write-page.js';
import type { NostrEvent } from '../src/protocol/event.js';
import { writeBuffer } from '../src/store/flush.js';

// A backfilled event moves its author's first-seen time back, and the per-bucket new-user counts
// with it: the key leaves the bucket it was first received in and joins the one history dates it to.

const key = (n: number) => n.toString(16).padStart(64, '0');
const LIVE_MS = Date.parse('2026-12-05T16:20:00Z');
const OLD_SEC = Date.parse('2026-11-02T08:30:00Z') / 1000;

function event(author: number, kind: number, createdSec: number, tail = 0): NostrEvent {
  return {
    id: `${author.toString(16).padStart(8, '0')}${tail.toString(16).padStart(56, '0')}`,
    pubkey: key(author),
    created_at: createdSec,
    kind,
    tags: kind === 3 ? [['p', key(9)]] : [],
    content: '',
    sig: '0'.repeat(128),
  };
}

const page = (events: NostrEvent[]) => ({
  relayUrl: 'wss://history.example',
  since: 0,
  events,
  rejected: 0,
  reachedAt: OLD_SEC,
  done: false,
  truncated: false,
});

describe('backfill first-seen times', () => {
  let db: MigratedTestDatabase;

  beforeAll(async () => {
    db = await migratedTestDatabase('collector_backfill_first_seen', { poolMax: 2 });
    // Key 1 was received live today: first seen (and new) in today's 16:00 hour.
    const agg = new Aggregator();
    agg.recordUnique(event(1, 1, LIVE_MS / 1000), LIVE_MS);
    await writeBuffer(db.dbs.writer, agg.take());
  });
  afterAll(async () => {
    await db?.drop();
  });

  const newUsers = async () => {
    const hours = await sql<{ t: string; n: number }>`
      select to_char(hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24') as t, new_users::int as n
        from user_activity_hourly where new_users <> 0 order by hour`.execute(db.dbs.reader);
    const days = await sql<{ t: string; n: number }>`
      select to_char(day, 'YYYY-MM-DD') as t, new_users::int as n
        from user_activity_daily where new_users <> 0 order by day`.execute(db.dbs.reader);
    return { hours: hours.rows, days: days.rows };
  };

  it('moves a live key back to its earliest history and keeps the bucket counts exact', async () => {
    expect(await newUsers()).toEqual({
      hours: [{ t: '2026-12-05T16', n: 1 }],
      days: [{ t: '2026-12-05', n: 1 }],
    });
    const result = await writeHistoryPage(
      db.dbs.writer,
      page([event(1, 0, OLD_SEC), event(1, 3, OLD_SEC + 7200, 1), event(2, 0, OLD_SEC + 3600)]),
    );
    expect(result).toEqual({ inserted: 1, moved: 1 });
    const rows = await db.dbs.reader
      .selectFrom('pubkeys')
      .select(['pubkey', 'first_seen_at', sql<string>`last_seen_at::text`.as('last'), 'events'])
      .orderBy('pubkey')
      .execute();
    expect(rows.map((r) => [r.pubkey, r.first_seen_at.getTime() / 1000])).toEqual([
      [key(1), OLD_SEC],
      [key(2), OLD_SEC + 3600],
    ]);
    // The live key keeps its last-seen time and event count; the backfilled one has neither.
    expect(rows[0]?.events).toBe(1);
    expect(rows[1]).toMatchObject({ last: '-infinity', events: 0 });
    expect(await newUsers()).toEqual({
      hours: [
        { t: '2026-11-02T08', n: 1 },
        { t: '2026-11-02T09', n: 1 },
      ],
      days: [{ t: '2026-11-02', n: 2 }],
    });
    // Profile and follow list stored as the latest of their kinds; the follow graph has the list.
    const kinds = await db.dbs.reader
      .selectFrom('replaceable_events')
      .select(['kind', 'pubkey'])
      .orderBy('kind')
      .orderBy('pubkey')
      .execute();
    expect(kinds).toEqual([
      { kind: 0, pubkey: key(1) },
      { kind: 0, pubkey: key(2) },
      { kind: 3, pubkey: key(1) },
    ]);
    expect(await db.dbs.reader.selectFrom('follow_lists').select('follower_id').execute()).toHaveLength(1);
  });

  it('writing the same page again, or a later one, moves nothing', async () => {
    const before = await newUsers();
    expect(
      await writeHistoryPage(db.dbs.writer, page([event(1, 0, OLD_SEC), event(2, 0, OLD_SEC + 7200, 2)])),
    ).toEqual({
      inserted: 0,
      moved: 0,
    });
    expect(await newUsers()).toEqual(before);
    const progress = await db.dbs.reader
      .selectFrom('backfill_progress')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(progress).toMatchObject({ pages: 2, done: false });
    expect(Number(progress.events)).toBe(5);
  });
});
