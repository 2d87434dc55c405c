import { runScheduler } from '@nostr-info/scheduler';
import type { Database } from '@nostr-info/shared/db';
import { type FullSnapshot, fullSnapshotSchema, type StatsRange } from '@nostr-info/shared/stats';
import {
  type MigratedTestDatabase,
  migratedTestDatabase,
  type TestRoleContext,
  testRoleContext,
} from '@nostr-info/shared/testing';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aggregator } from '../src/aggregate/aggregator.js';
import { hourOf } from '../src/aggregate/buckets.js';
import { writeBuffer } from '../src/store/flush.js';
import { flushEventCounters } from '../src/store/flush-events.js';
import { unverifiedEvents } from './helpers/unverified-events.js';

// `all` is the scheduler's running totals up to `through_day` plus the day rows after it. A flush
// that writes a day already rolled up (retried long after a database outage) adds those rows to
// the totals in its own transaction, so `all` counts them, once, whenever they arrive; and a
// rollup that meets a flush in progress waits for it, so it neither misses nor repeats its rows.

const DAY = 86_400_000;
/** The scheduler's clock: rollups reach today - 2, 2026-12-03. */
const NOW = Date.UTC(2026, 11, 5, 10, 37, 20);
const OLD_DAY = Date.UTC(2026, 11, 1, 9, 12); // rolled up at the first run
const RECENT_DAY = Date.UTC(2026, 11, 4, 18, 40); // after through_day until the clock moves on

interface Relays {
  a: number;
  b: number;
}

/** Copies, clients and health of one flush: `events` valid copies of `kind` per relay at `at`. */
interface Delivery {
  at: number;
  relay: 'a' | 'b';
  kind: number;
  events: number;
  invalid?: number;
  client?: string;
  observedMs?: number;
  connectedMs?: number;
}

function buffer(relays: Relays, deliveries: readonly Delivery[]) {
  const a = new Aggregator();
  const ev = unverifiedEvents('9'.repeat(64));
  for (const d of deliveries) {
    const relay = relays[d.relay];
    for (let n = 0; n < d.events; n++) {
      a.recordCopy(relay, d.kind, d.at, false);
      if (d.client) a.recordUnique(ev(d.kind, [['client', d.client]], Math.floor(d.at / 1000)), d.at);
    }
    for (let n = 0; n < (d.invalid ?? 0); n++) a.recordInvalid(relay, d.kind, d.at);
    const health = a.buffer.healthRow(hourOf(d.at), relay, d.at);
    health.observedMs += d.observedMs ?? 0;
    health.connectedMs += d.connectedMs ?? 0;
  }
  return a.take();
}

async function snapshot(ctx: TestRoleContext<'scheduler'>, now: number, range: StatsRange = 'all') {
  const run = await runScheduler(ctx, { now: () => new Date(now), ranges: [range], retention: false });
  expect(run.error).toBeUndefined();
  const row = await ctx.dbs.reader
    .selectFrom('statistics_snapshots')
    .select('body')
    .where('range', '=', range)
    .orderBy('computed_at', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return fullSnapshotSchema.parse(row.body);
}

/** The per-relay and client figures that `all` reads from the running totals. */
function figures(s: FullSnapshot) {
  return {
    relays: Object.fromEntries(
      s.relays.relays.map((r) => [
        r.url,
        { events: r.events, by_kind: r.events_by_kind, invalid: r.invalid, uptime: r.uptime_pct },
      ]),
    ),
    clients: Object.fromEntries(s.clients.by_events.map((c) => [c.client, c.events])),
  };
}

async function seedRelays(db: Kysely<Database>): Promise<Relays> {
  const relays: Relays = { a: 0, b: 0 };
  for (const name of ['a', 'b'] as const) {
    const row = await db
      .insertInto('relays')
      .values({ url: `wss://${name}.example`, source: 'seed', watched: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    relays[name] = row.id;
  }
  return relays;
}

const throughDay = async (db: Kysely<Database>) =>
  (
    await db
      .selectFrom('stats_rollup_state')
      .select((eb) => eb.cast<string>('through_day', 'text').as('day'))
      .executeTakeFirstOrThrow()
  ).day;

describe.each(['postgres', 'pglite'] as const)('day rows after their day was rolled up (%s)', (backend) => {
  let database: MigratedTestDatabase | undefined;
  let ctx: TestRoleContext<'scheduler'>;
  let relays: Relays;

  beforeAll(async () => {
    if (backend === 'postgres') database = await migratedTestDatabase('collector_late_day');
    ctx = await testRoleContext('scheduler', { env: database ? { DATABASE_URL: database.url } : {} });
    relays = await seedRelays(ctx.dbs.writer);
  });
  afterAll(async () => {
    await ctx?.close();
    await database?.drop();
  });

  it('reach `all` exactly once, now and after the totals move on', async () => {
    const H = 3_600_000;
    await writeBuffer(
      ctx.dbs.writer,
      buffer(relays, [
        { at: OLD_DAY, relay: 'a', kind: 1, events: 3, client: 'damus', observedMs: H, connectedMs: H / 2 },
        { at: NOW - 60_000, relay: 'a', kind: 1, events: 2 },
      ]),
    );
    const before = figures(await snapshot(ctx, NOW));
    expect(await throughDay(ctx.dbs.writer)).toBe('2026-12-03');
    expect(before.relays['wss://a.example']).toEqual({
      events: 5,
      by_kind: { '1': 5 },
      invalid: 0,
      uptime: 50,
    });

    // A flush held back since 2026-12-01 (and one row of a day not rolled up yet) lands now.
    await writeBuffer(
      ctx.dbs.writer,
      buffer(relays, [
        {
          at: OLD_DAY + 60_000,
          relay: 'a',
          kind: 7,
          events: 4,
          client: 'amethyst',
          observedMs: H,
          connectedMs: H,
        },
        { at: OLD_DAY + 60_000, relay: 'b', kind: 1, events: 2, invalid: 1 },
        { at: RECENT_DAY, relay: 'b', kind: 1, events: 1 },
      ]),
    );
    const expected = {
      relays: {
        'wss://a.example': { events: 9, by_kind: { '1': 5, '7': 4 }, invalid: 0, uptime: 75 },
        'wss://b.example': { events: 3, by_kind: { '1': 3 }, invalid: 1, uptime: null },
      },
      clients: { damus: 3, amethyst: 4 },
    };
    expect(figures(await snapshot(ctx, NOW + 5 * 60_000))).toEqual(expected);
    // The totals hold the late rows once; the next rollups add the recent day's row, once.
    expect(figures(await snapshot(ctx, NOW + DAY))).toEqual(expected);
    expect(await throughDay(ctx.dbs.writer)).toBe('2026-12-04');
    expect(figures(await snapshot(ctx, NOW + 3 * DAY))).toEqual(expected);
    // The day tables themselves hold every row once: 30d reads them.
    const month = figures(await snapshot(ctx, NOW + 5 * 60_000, '30d'));
    expect(month.relays).toEqual(expected.relays);
  });
});

describe.each([
  ['a pool of connections', 10],
  ['a one-connection pool (reads inside the run transaction)', 1],
] as const)('a rollup that meets a flush in progress, with %s', (_, poolMax) => {
  let database: MigratedTestDatabase;
  let ctx: TestRoleContext<'scheduler'>;
  let relays: Relays;

  beforeAll(async () => {
    database = await migratedTestDatabase('collector_late_day_race');
    ctx = await testRoleContext('scheduler', { env: { DATABASE_URL: database.url }, poolMax });
    relays = await seedRelays(database.dbs.writer);
  });
  afterAll(async () => {
    await ctx?.close();
    await database?.drop();
  });

  it('waits for the flush and rolls its rows up, once', async () => {
    await snapshot(ctx, NOW);
    expect(await throughDay(database.dbs.writer)).toBe('2026-12-03');
    const late = buffer(relays, [{ at: RECENT_DAY, relay: 'a', kind: 1, events: 6, client: 'damus' }]);
    let run: Promise<unknown> | undefined;
    let settled = false;
    // The flush writes 2026-12-04 while through_day is 12-03, so it leaves the totals to the
    // rollup; the run at the next day's clock moves through_day to 12-04 meanwhile.
    await database.dbs.writer.transaction().execute(async (tx) => {
      await flushEventCounters(tx, late);
      run = snapshot(ctx, NOW + DAY).finally(() => {
        settled = true;
      });
      await new Promise((r) => setTimeout(r, 500));
      expect(settled).toBe(false);
    });
    await run;
    expect(await throughDay(database.dbs.writer)).toBe('2026-12-04');
    const totals = await database.dbs.writer
      .selectFrom('events_aggregated_totals')
      .select(['relay_id', 'kind', 'events'])
      .execute();
    expect(totals).toEqual([{ relay_id: relays.a, kind: 1, events: 6 }]);
    const all = figures(await snapshot(ctx, NOW + DAY + 60_000));
    expect(all.relays['wss://a.example']?.events).toBe(6);
    expect(all.clients).toEqual({ damus: 6 });
  });
});
