import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LatencyHistograms, latencyBound, writeLatencyRows } from '../src/store/relay-latency.js';
import { createWorld, type TestWorld } from './helpers/context.js';

// Latency histograms per relay, hour and day on the real database: samples land in the bucket of
// the smallest bound at or above them, writes add up (two replicas, or a flush retried after a
// failure, never overwrite each other), and the day rows are the sums of their hours.

describe('relay latency histograms', () => {
  let world: TestWorld;
  let ctx: Awaited<ReturnType<TestWorld['context']>>;

  beforeAll(async () => {
    world = await createWorld('relay_latency');
    ctx = await world.context({});
  });
  afterAll(async () => {
    await world?.drop();
  });

  it('buckets samples by the smallest bound at or above them', () => {
    expect(latencyBound(0)).toBe(10);
    expect(latencyBound(10)).toBe(10);
    expect(latencyBound(10.5)).toBe(20);
    expect(latencyBound(101)).toBe(125);
    expect(latencyBound(999_999)).toBe(60_000);
  });

  it('writes additive hourly and daily rows', async () => {
    const db = ctx.dbs.writer;
    const { id } = await db
      .insertInto('relays')
      .values({ url: 'wss://latency.example', source: 'seed', watched: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    const h1 = Date.parse('2026-03-01T10:20:00Z');
    const h2 = Date.parse('2026-03-01T11:40:00Z');
    const a = new LatencyHistograms();
    a.record(id, 'open', 95, h1);
    a.record(id, 'open', 100, h1);
    a.record(id, 'open', 240, h2);
    a.record(id, 'eose', 30, h1);
    a.record(id, 'eose', Number.NaN, h1);
    expect(a.size).toBe(3);
    // A flush that failed puts its rows back under what came since; nothing is lost or doubled.
    const failed = a.take();
    expect(a.size).toBe(0);
    a.record(id, 'open', 97, h1);
    a.restore(failed);
    await writeLatencyRows(db, a.take());
    // Another replica's flush for the same relay and hour adds to the same rows.
    const b = new LatencyHistograms();
    b.record(id, 'open', 99, h1);
    await writeLatencyRows(db, b.take());

    const hourly = await db
      .selectFrom('relay_latency_hourly')
      .select(['hour', 'phase', 'le_ms', 'samples'])
      .where('relay_id', '=', id)
      .orderBy(['hour', 'phase', 'le_ms'])
      .execute();
    expect(hourly.map((r) => [r.hour.toISOString(), r.phase, r.le_ms, r.samples])).toEqual([
      ['2026-03-01T10:00:00.000Z', 'eose', 30, 1],
      ['2026-03-01T10:00:00.000Z', 'open', 100, 4],
      ['2026-03-01T11:00:00.000Z', 'open', 250, 1],
    ]);
    const daily = await db
      .selectFrom('relay_latency_daily')
      .select(['day', 'phase', 'le_ms', 'samples'])
      .where('relay_id', '=', id)
      .orderBy(['phase', 'le_ms'])
      .execute();
    expect(daily.map((r) => [String(r.day), r.phase, r.le_ms, r.samples])).toEqual([
      ['2026-03-01', 'eose', 30, 1],
      ['2026-03-01', 'open', 100, 4],
      ['2026-03-01', 'open', 250, 1],
    ]);
  });
});
