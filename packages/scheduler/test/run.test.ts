import { SNAPSHOT_CHANNEL, type StatsRange, snapshotCacheKey } from '@nostr-info/shared/stats';
import { type MigratedTestDatabase, migratedTestDatabase } from '@nostr-info/shared/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchedulerRunError } from '../src/errors.js';
import { LAST_RUN_KEY, type LastRun } from '../src/publish/cache.js';
import { runScheduler } from '../src/scheduler.js';
import { applyRetention } from '../src/store/retention.js';
import { SCHEDULER_LOCK_KEY } from '../src/store/write-snapshots.js';
import { createTestContext, type TestContext } from './context.js';
import { NOW, seedDataset } from './fixture.js';

const RANGES: StatsRange[] = ['24h', '7d', '30d', '90d', 'all'];
const later = (minutes: number) => () => new Date(NOW.getTime() + minutes * 60_000);

async function snapshotCounts(t: TestContext): Promise<Record<string, number>> {
  const rows = await t.dbs.writer
    .selectFrom('statistics_snapshots')
    .select(['range', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('range')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.range, Number(r.n)]));
}

describe('a run on PostgreSQL: cache, announcement, history, retention', () => {
  let database: MigratedTestDatabase;
  let t: TestContext;

  beforeAll(async () => {
    database = await migratedTestDatabase('scheduler_run');
    t = await createTestContext('postgres', { database, env: { SNAPSHOT_HISTORY: '2' } });
    await seedDataset(t.dbs.writer);
    const db = t.dbs.writer;
    await db
      .insertInto('active_users')
      .values([
        { day: '2026-08-24', pubkey: 'p5', events: 1 }, // 92 days old: past the 91 kept
        { day: '2026-08-25', pubkey: 'p5', events: 1 }, // 91 days old: kept
      ])
      .execute();
    await db
      .insertInto('active_users_hourly')
      .values([
        { hour: '2026-11-16T11:00:00Z', pubkey: 'p1' }, // 8 days 1 hour before the current hour
        { hour: '2026-11-16T12:00:00Z', pubkey: 'p1' }, // exactly 8 days: kept
      ])
      .execute();
    await db.insertInto('relays').values({ url: 'wss://log.example', source: 'manual' }).execute();
    const relay = await db
      .selectFrom('relays')
      .select('id')
      .where('url', '=', 'wss://log.example')
      .executeTakeFirstOrThrow();
    // Per-relay day rows (RELAY_DAILY_RETENTION_DAYS 800 by default): 801 days old go, 800 stay.
    await db
      .insertInto('relay_latency_daily')
      .values([
        { day: '2024-09-14', relay_id: relay.id, phase: 'open', le_ms: 50, samples: 1 },
        { day: '2024-09-15', relay_id: relay.id, phase: 'open', le_ms: 50, samples: 1 },
      ])
      .execute();
    await db
      .insertInto('relay_logs')
      .values([
        { relay_id: relay.id, at: '2026-11-17T12:29:00Z', event: 'connect' }, // older than 7 days
        { relay_id: relay.id, at: '2026-11-17T12:31:00Z', event: 'connect' },
      ])
      .execute();
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it('stores, caches and announces one snapshot per range and records the run', async () => {
    const messages: string[] = [];
    const unsubscribe = await t.cache.subscribe(SNAPSHOT_CHANNEL, (m) => messages.push(m));
    const result = await runScheduler(t.ctx, { now: () => NOW });
    expect(result.error).toBeUndefined();
    expect(result.results.map((r) => r.range)).toEqual(RANGES);
    for (const range of RANGES) {
      const row = await t.dbs.writer
        .selectFrom('statistics_snapshots')
        .select('body')
        .where('range', '=', range)
        .executeTakeFirstOrThrow();
      const cached = await t.cache.get(snapshotCacheKey(range));
      expect(cached).not.toBeNull();
      expect(JSON.parse(cached ?? 'null')).toEqual(row.body);
    }
    await expect.poll(() => messages.length).toBe(1);
    expect(JSON.parse(messages[0] ?? '{}')).toEqual({ computed_at: NOW.toISOString(), ranges: RANGES });
    await unsubscribe();

    const run = await t.dbs.writer.selectFrom('scheduler_runs').selectAll().executeTakeFirstOrThrow();
    expect(run.success).toBe(true);
    expect(run.error).toBeNull();
    expect(run.started_at.toISOString()).toBe(NOW.toISOString());
    // jsonb orders keys its own way (shorter first).
    expect(Object.keys(run.ranges ?? {}).sort()).toEqual([...RANGES].sort());
    for (const figures of Object.values(run.ranges ?? {})) {
      expect(figures.rows).toBeGreaterThan(0);
      expect(figures.duration_ms).toBeGreaterThanOrEqual(0);
    }
    const lastRun = JSON.parse((await t.cache.get(LAST_RUN_KEY)) ?? 'null') as LastRun;
    expect(lastRun.success).toBe(true);
    expect(lastRun.ranges).toEqual(run.ranges);
    expect(lastRun.last_success_at).toBe(lastRun.finished_at);
  });

  it('applies retention after the snapshots: hourly rows past 92 days go, day rows stay', async () => {
    const db = t.dbs.writer;
    const hours = await db.selectFrom('events_aggregated').select('hour').orderBy('hour').execute();
    // E10 (2025-01-01) is past HOURLY_RETENTION_DAYS; E9 (2026-08-26 12:00, 90 days) is kept.
    expect(hours[0]?.hour.toISOString()).toBe('2026-08-26T12:00:00.000Z');
    const days = await db.selectFrom('events_aggregated_daily').select('day').orderBy('day').execute();
    expect(days[0]?.day).toBe('2025-01-01');
    const net = await db.selectFrom('network_events_hourly').select('hour').orderBy('hour').execute();
    expect(net[0]?.hour.toISOString()).toBe('2026-08-26T12:00:00.000Z');
    expect((await db.selectFrom('active_users').select('day').execute()).map((r) => r.day)).toEqual([
      '2026-08-25',
    ]);
    const hourly = await db.selectFrom('active_users_hourly').select('hour').execute();
    expect(hourly.map((r) => r.hour.toISOString())).toEqual(['2026-11-16T12:00:00.000Z']);
    const logs = await db.selectFrom('relay_logs').select('at').execute();
    expect(logs.map((r) => r.at.toISOString())).toEqual(['2026-11-17T12:31:00.000Z']);
    const latencyDays = await db.selectFrom('relay_latency_daily').select('day').execute();
    expect(latencyDays.map((r) => r.day)).toEqual(['2024-09-15']);
  });

  it('keeps SNAPSHOT_HISTORY snapshots per range, the newest', async () => {
    await runScheduler(t.ctx, { now: later(5) });
    await runScheduler(t.ctx, { now: later(10) });
    expect(await snapshotCounts(t)).toEqual({ '24h': 2, '7d': 2, '30d': 2, '90d': 2, all: 2 });
    const kept = await t.dbs.writer
      .selectFrom('statistics_snapshots')
      .select('computed_at')
      .distinct()
      .execute();
    expect(kept.map((r) => r.computed_at.getTime()).sort()).toEqual([
      later(5)().getTime(),
      later(10)().getTime(),
    ]);
    const runs = await t.dbs.writer.selectFrom('scheduler_runs').select('id').execute();
    expect(runs).toHaveLength(2);
  });

  it('prunes scheduler_runs to SNAPSHOT_HISTORY but keeps the newest good run', async () => {
    const db = t.dbs.writer;
    const good = await db
      .selectFrom('scheduler_runs')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();
    for (let i = 0; i < 3; i++) {
      await db
        .insertInto('scheduler_runs')
        .values({ started_at: NOW, finished_at: NOW, success: false, error: 'boom', ranges: null })
        .execute();
    }
    const deleted = await applyRetention(db, {
      now: NOW,
      hourlyRetentionDays: 92,
      relayLogRetentionDays: 7,
      runHistory: 2,
    });
    expect(deleted.scheduler_runs).toBe(2);
    const left = await db.selectFrom('scheduler_runs').select(['id', 'success']).orderBy('id').execute();
    expect(left.map((r) => r.success)).toEqual([true, false, false]);
    expect(left[0]?.id).toBe(good.id);
  });
});

describe('runs at the same time and failed runs (PostgreSQL)', () => {
  let database: MigratedTestDatabase;
  let a: TestContext;
  let b: TestContext;

  beforeAll(async () => {
    database = await migratedTestDatabase('scheduler_lock');
    a = await createTestContext('postgres', { database });
    b = await createTestContext('postgres', { database, prefix: a.prefix });
    await seedDataset(a.dbs.writer);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('skips while another process holds the run lock, writing nothing', async () => {
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('select pg_advisory_lock($1)', [SCHEDULER_LOCK_KEY.toString()]);
      const result = await runScheduler(b.ctx, { now: () => NOW });
      expect(result.skipped).toBe(true);
      expect(result.error).toBeUndefined();
      expect(await snapshotCounts(b)).toEqual({});
    } finally {
      await holder.end();
    }
  });

  it('two processes at once: each range gets exactly one snapshot per run that wrote', async () => {
    const results = await Promise.all([
      runScheduler(a.ctx, { now: () => NOW }),
      runScheduler(b.ctx, { now: later(1) }),
      runScheduler(a.ctx, { now: later(2) }), // same process: refused in process
    ]);
    expect(results.every((r) => r.error === undefined)).toBe(true);
    expect(results[2]?.skipped).toBe(true);
    const wrote = results.filter((r) => !r.skipped).length;
    expect(wrote).toBeGreaterThanOrEqual(1);
    expect(await snapshotCounts(a)).toEqual(Object.fromEntries(RANGES.map((r) => [r, wrote])));
    // Every run's snapshots share one computed_at: no run is half written.
    const sets = await a.dbs.writer
      .selectFrom('statistics_snapshots')
      .select(['computed_at', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('computed_at')
      .execute();
    expect(sets.map((s) => Number(s.n))).toEqual(sets.map(() => 5));
  });

  it('a failed run returns its error and leaves the previous snapshots serving', async () => {
    const before = await a.dbs.writer
      .selectFrom('statistics_snapshots')
      .select(['id'])
      .orderBy('id')
      .execute();
    const cachedBefore = await a.cache.get(snapshotCacheKey('24h'));
    expect(cachedBefore).not.toBeNull();
    const lastBefore = JSON.parse((await a.cache.get(LAST_RUN_KEY)) ?? 'null') as LastRun;
    const broken = await createTestContext('postgres', {
      database,
      prefix: a.prefix,
      readUrl: 'postgres://postgres@127.0.0.1:1/nowhere',
    });
    try {
      const result = await runScheduler(broken.ctx, { now: later(30) });
      expect(result.error).toBeInstanceOf(SchedulerRunError);
      expect(result.results).toEqual([]);
    } finally {
      await broken.close();
    }
    const after = await a.dbs.writer
      .selectFrom('statistics_snapshots')
      .select(['id'])
      .orderBy('id')
      .execute();
    expect(after).toEqual(before);
    expect(await a.cache.get(snapshotCacheKey('24h'))).toBe(cachedBefore);
    const failed = await a.dbs.writer
      .selectFrom('scheduler_runs')
      .selectAll()
      .where('success', '=', false)
      .executeTakeFirstOrThrow();
    expect(failed.error).toMatch(/ECONNREFUSED|connect/i);
    const lastRun = JSON.parse((await a.cache.get(LAST_RUN_KEY)) ?? 'null') as LastRun;
    expect(lastRun.success).toBe(false);
    expect(lastRun.last_success_at).toBe(lastBefore.last_success_at);
  });
});

describe('a one-connection pool without a replica (PostgreSQL)', () => {
  it('reads inside the run transaction instead of waiting for a second connection', async () => {
    const t = await createTestContext('postgres', { env: { DATABASE_POOL_MAX: '1' } });
    try {
      await seedDataset(t.dbs.writer);
      const result = await runScheduler(t.ctx, { now: () => NOW });
      expect(result.error).toBeUndefined();
      expect(await snapshotCounts(t)).toEqual(Object.fromEntries(RANGES.map((r) => [r, 1])));
    } finally {
      await t.close();
    }
  });
});
