import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../src/aggregate/aggregator.js';
import { writeBuffer } from '../src/store/flush.js';
import { makeInvoice } from './helpers/bolt11.js';
import { useEmbeddedDatabase } from './helpers/embedded-db.js';
import { unverifiedEvents } from './helpers/unverified-events.js';

// The embedded database (PGlite, the all-in-one default) takes the same flush: distinct and new
// users counted from rows actually inserted, additive counters across flushes, latest replaceable.

const ev = unverifiedEvents('f'.repeat(64));

describe('flush on PGlite', () => {
  const embedded = useEmbeddedDatabase();

  it('counts distinct and new users exactly over several flushes', async () => {
    const dbs = embedded();
    const at = Date.UTC(2026, 10, 24, 10, 15);
    const [a, b, c] = ['a', 'b', 'c'].map((x) => x.repeat(64)) as [string, string, string];
    const first = new Aggregator();
    first.recordCopy(1, 1, at, false);
    first.recordUnique(ev(1, [['client', 'Damus']], 100, a), at);
    first.recordUnique(ev(1, [], 100, b), at);
    first.recordUnique(
      ev(
        9735,
        [
          ['bolt11', makeInvoice('21u')],
          ['P', b],
          ['p', c],
        ],
        100,
        a,
      ),
      at,
    );
    first.recordUnique(ev(0, [], 200, a), at);
    await dbs.writer
      .insertInto('relays')
      .values({ url: 'wss://r.example.com', source: 'seed', watched: true })
      .execute();
    await writeBuffer(dbs.writer, first.take());

    const second = new Aggregator();
    second.recordUnique(ev(1, [], 100, a), at + 60_000); // same hour, known user
    second.recordUnique(ev(1, [], 100, c), at + 3_600_000); // next hour, new user
    second.recordUnique(ev(0, [], 150, a), at + 3_600_000); // older profile must not win
    await writeBuffer(dbs.writer, second.take());

    const daily = await dbs.reader.selectFrom('user_activity_daily').selectAll().execute();
    expect(daily).toEqual([{ day: '2026-11-24', active_users: 3, new_users: 3 }]);
    const hourly = await dbs.reader.selectFrom('user_activity_hourly').selectAll().orderBy('hour').execute();
    expect(hourly.map((h) => [h.active_users, h.new_users])).toEqual([
      [2, 2],
      [2, 1],
    ]);
    const net = await dbs.reader
      .selectFrom('network_events_daily')
      .select(sql<number>`sum(events)::int`.as('n'))
      .executeTakeFirst();
    expect(net?.n).toBe(7);
    // Without zap verification (none is wired here) a receipt is unverified, never summed.
    expect(await dbs.reader.selectFrom('zaps_daily').select(['zaps', 'sats']).execute()).toEqual([]);
    expect(
      await dbs.reader.selectFrom('zap_rejections_daily').select(['reason', 'receipts']).execute(),
    ).toEqual([{ reason: 'unverified', receipts: 1 }]);
    const profile = await dbs.reader.selectFrom('replaceable_events').select('created_at').executeTakeFirst();
    expect(profile?.created_at.getTime()).toBe(200_000);
  });

  it('takes the held relays report', async () => {
    const dbs = embedded();
    const urls = ['wss://held.example.com', 'wss://quiet.example.com', 'wss://other.example.com'];
    const ids = await dbs.writer
      .insertInto('relays')
      .values(
        urls.map((url) => ({ url, source: 'seed' as const, watched: true, status: 'offline' as const })),
      )
      .returning('id')
      .execute();
    const onlineSince = Date.UTC(2026, 10, 24, 10, 0);
    const buffer = new Aggregator().take();
    buffer.held = [
      { relayId: ids[0]?.id ?? 0, status: 'online', statusChangedAt: onlineSince },
      // Held but not reported yet (still connecting): only held_at moves.
      { relayId: ids[1]?.id ?? 0, status: undefined, statusChangedAt: undefined },
    ];
    await writeBuffer(dbs.writer, buffer);
    const rows = await dbs.reader
      .selectFrom('relays')
      .select(['url', 'status', 'held_at', 'status_changed_at'])
      .where('url', 'in', urls)
      .execute();
    const row = (url: string) => rows.find((r) => r.url === url);
    expect(row('wss://held.example.com')).toMatchObject({
      status: 'online',
      status_changed_at: new Date(onlineSince),
    });
    expect(row('wss://held.example.com')?.held_at).not.toBeNull();
    expect(row('wss://quiet.example.com')).toMatchObject({ status: 'offline', status_changed_at: null });
    expect(row('wss://quiet.example.com')?.held_at).not.toBeNull();
    expect(row('wss://other.example.com')).toMatchObject({ status: 'offline', held_at: null });
  });
});
