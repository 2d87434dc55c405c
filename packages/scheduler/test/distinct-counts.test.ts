import type { Database } from '@nostr-info/shared/db';
import { STATS_RANGES } from '@nostr-info/shared/stats';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDistinct } from '../src/compute/distinct-counts.js';
import { rangeWindow } from '../src/compute/range-window.js';
import { windowBounds } from '../src/compute/window-bounds.js';
import { type Backend, createTestContext, type TestContext } from './context.js';
import { NOW } from './fixture.js';

// The distinct figures of all ranges read in one pass must equal each range's own count over the
// first/last-seen tables, the way a range counted them alone.

type Db = Kysely<Database>;

const HOUR_MS = 3_600_000;
/** Offsets before NOW that straddle every range edge (24h's 5-minute edge, 7d's hour, 30d/90d's day). */
const AGES_H = [
  0.1,
  23.5,
  24.05,
  24.2,
  100,
  166.5,
  167.5,
  168.5,
  24 * 29.7,
  24 * 30.3,
  24 * 89.8,
  24 * 90.5,
  24 * 400,
];
const at = (hours: number) => new Date(NOW.getTime() - hours * HOUR_MS).toISOString();
const key = (i: number) => i.toString(16).padStart(64, '0');

async function seed(db: Db) {
  for (const [i, age] of AGES_H.entries()) {
    // Seen first long before the last time (active, not new) and first and last at once (new).
    await db
      .insertInto('pubkeys')
      .values([
        { pubkey: key(i), first_seen_at: at(24 * 500), last_seen_at: at(age), events: 1 },
        { pubkey: key(100 + i), first_seen_at: at(age), last_seen_at: at(age), events: 1 },
      ])
      .execute();
    await db
      .insertInto('articles')
      .values({
        pubkey: key(i),
        d_tag: 'a',
        first_seen_at: at(age),
        last_seen_at: at(age),
        latest_created_at: at(age),
        versions: 1,
      })
      .execute();
    await db
      .insertInto('zap_participants')
      .values({
        pubkey: key(i),
        role: i % 3 === 0 ? 'receiver' : 'sender',
        first_seen_at: at(age),
        last_seen_at: at(age),
        zaps: 1,
        sats: 1,
        extra_msats: 0,
      })
      .execute();
    // One key on two clients, last seen on each at a different age: in a range once, with either.
    const other = AGES_H[(i + 5) % AGES_H.length] ?? 0;
    await db
      .insertInto('client_users')
      .values([
        { client: 'damus', pubkey: key(i), first_seen_at: at(age), last_seen_at: at(age) },
        { client: `c${i % 4}`, pubkey: key(i), first_seen_at: at(other), last_seen_at: at(other) },
      ])
      .execute();
  }
}

/** One range's figures counted alone, one statement per figure, keys compared whole. */
async function alone(db: Db, time: RawBuilder<unknown>) {
  const one = async (q: RawBuilder<{ n: number }>) => Number((await q.execute(db)).rows[0]?.n);
  const byClient = await sql<{ client: string; n: number }>`
    select client, count(*)::bigint as n from client_users where last_seen_at >= ${time}
     group by client`.execute(db);
  return {
    counts: {
      active_users: await one(sql`select count(*)::bigint as n from pubkeys where last_seen_at >= ${time}`),
      new_users: await one(sql`select count(*)::bigint as n from pubkeys where first_seen_at >= ${time}`),
      articles: await one(sql`select count(*)::bigint as n from articles where last_seen_at >= ${time}`),
      senders: await one(
        sql`select count(*)::bigint as n from zap_participants where role = 'sender' and last_seen_at >= ${time}`,
      ),
      receivers: await one(
        sql`select count(*)::bigint as n from zap_participants where role = 'receiver' and last_seen_at >= ${time}`,
      ),
      client_users_total: await one(
        sql`select count(distinct pubkey)::bigint as n from client_users where last_seen_at >= ${time}`,
      ),
    },
    clientUsers: sorted(byClient.rows.map((r) => ({ client: r.client, n: Number(r.n) }))),
  };
}

describe.each<Backend>(['postgres', 'pglite'])('distinct figures of all ranges at once (%s)', (backend) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(backend);
    await seed(t.dbs.writer);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('equal every range counted alone', async () => {
    const windows = STATS_RANGES.map((range) => rangeWindow(range, NOW));
    const together = await readDistinct(t.dbs.reader, windows);
    for (const [i, window] of windows.entries()) {
      const got = together[i];
      const want = await alone(t.dbs.reader, windowBounds(window).time);
      expect({ range: window.range, ...got, clientUsers: sorted(got?.clientUsers ?? []) }).toEqual({
        range: window.range,
        ...want,
      });
      // And the same when the range is read alone (computeSnapshot outside a run).
      const [single] = await readDistinct(t.dbs.reader, [window]);
      expect({ ...single, clientUsers: sorted(single?.clientUsers ?? []) }).toEqual(want);
    }
    // The ranges differ from each other, so a count taken over the wrong window cannot pass.
    const active = together.map((d) => d.counts.active_users);
    expect(new Set(active).size).toBe(STATS_RANGES.length);
    expect(new Set(together.map((d) => d.counts.client_users_total)).size).toBeGreaterThan(2);
  });
});

function sorted<T extends { client: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => (a.client < b.client ? -1 : a.client > b.client ? 1 : 0));
}
