import type { Databases } from '@nostr-info/shared/db';
import { type MigratedTestDatabase, migratedTestDatabase } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PARAMS } from './chunks.js';
import { addCounters } from './upsert-counters.js';

const HOUR = '2026-01-01T00:00:00.000Z';

describe('addCounters', () => {
  let db: MigratedTestDatabase;
  let dbs: Databases;

  beforeAll(async () => {
    db = await migratedTestDatabase('collector_upsert_counters', { poolMax: 2 });
    dbs = db.dbs;
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('adds every counter of a repeated key and inserts new keys', async () => {
    const write = (rows: { hour: string; active_users: number; new_users: number }[]) =>
      addCounters(dbs.writer, {
        table: 'user_activity_hourly',
        keys: ['hour'],
        counters: ['active_users', 'new_users'],
        rows,
      });
    await write([{ hour: HOUR, active_users: 3, new_users: 1 }]);
    await write([
      { hour: HOUR, active_users: 4, new_users: 2 },
      { hour: '2026-01-01T01:00:00.000Z', active_users: 7, new_users: 5 },
    ]);
    const rows = await dbs.writer
      .selectFrom('user_activity_hourly')
      .select(['hour', 'active_users', 'new_users'])
      .orderBy('hour')
      .execute();
    expect(rows.map((r) => [r.hour.toISOString(), Number(r.active_users), Number(r.new_users)])).toEqual([
      [HOUR, 7, 3],
      ['2026-01-01T01:00:00.000Z', 7, 5],
    ]);
  });

  it('splits rows past the bind-parameter limit and keeps them in the caller transaction', async () => {
    const count = Math.ceil(MAX_PARAMS / 3) + 1000; // 3 parameters per row: well past one statement
    const rows = Array.from({ length: count }, (_, kind) => ({ hour: HOUR, kind, events: 2 }));
    await dbs.writer.transaction().execute(async (tx) => {
      await addCounters(tx, {
        table: 'network_events_hourly',
        keys: ['hour', 'kind'],
        counters: ['events'],
        rows,
      });
      await addCounters(tx, {
        table: 'network_events_hourly',
        keys: ['hour', 'kind'],
        counters: ['events'],
        rows,
      });
    });
    const totals = await dbs.writer
      .selectFrom('network_events_hourly')
      .select((eb) => [
        eb.fn.countAll().as('keys'),
        eb.fn.sum('events').as('events'),
        eb.fn.min('events').as('min'),
      ])
      .executeTakeFirstOrThrow();
    expect(Number(totals.keys)).toBe(count);
    expect(Number(totals.events)).toBe(count * 4);
    expect(Number(totals.min)).toBe(4);
  });

  it('rolls back with the caller transaction', async () => {
    const failing = dbs.writer.transaction().execute(async (tx) => {
      await addCounters(tx, {
        table: 'zaps_daily',
        keys: ['day'],
        counters: ['zaps', 'sats', 'flagged', 'invalid_bolt11'],
        rows: [{ day: '2026-01-01', zaps: 1, sats: 21, flagged: 0, invalid_bolt11: 0 }],
      });
      throw new Error('abort');
    });
    await expect(failing).rejects.toThrow('abort');
    const rows = await dbs.writer.selectFrom('zaps_daily').selectAll().execute();
    expect(rows).toEqual([]);
  });

  it('checks columns against the table at compile time', () => {
    const call = () =>
      addCounters(dbs.writer, {
        table: 'clients',
        keys: ['day', 'client'],
        // @ts-expect-error `clients` has no `zaps` column
        counters: ['zaps'],
        rows: [],
      });
    expect(typeof call).toBe('function');
  });
});
