import type { Service } from '@nostr-info/shared/lifecycle';
import { createLogger } from '@nostr-info/shared/log';
import { currentRelayStatus } from '@nostr-info/shared/relay';
import { freePort } from '@nostr-info/shared/testing';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aggregator } from '../src/aggregate/aggregator.js';
import { startCollector } from '../src/collector.js';
import { createCollectorMetrics } from '../src/observe/metrics.js';
import { Flusher } from '../src/store/flusher.js';
import { type CollectorContext, createWorld, type TestWorld } from './helpers/context.js';
import { TestRelay } from './helpers/test-relay.js';
import { unverifiedEvents } from './helpers/unverified-events.js';

const REPORT_MS = 300;

/** `nostr_info_collector_held_reports_total` by how the reports were written. */
async function heldReports(registry: Registry, write: 'alone' | 'with_flush'): Promise<number> {
  const metric = await registry.getSingleMetric('nostr_info_collector_held_reports_total')?.get();
  return metric?.values.find((v) => v.labels.write === write && v.labels.result === 'success')?.value ?? 0;
}

/** A flusher over a fresh aggregator that reports holding one new relay, `url`. */
async function heldFlusher(ctx: CollectorContext, url: string, heldReportMs: number) {
  const row = await ctx.dbs.writer
    .insertInto('relays')
    .values({ url, source: 'seed', watched: true })
    .returning('id')
    .executeTakeFirstOrThrow();
  const aggregator = new Aggregator();
  const flusher = new Flusher({
    db: ctx.dbs.writer,
    aggregator,
    metrics: createCollectorMetrics(new Registry()),
    logger: createLogger({ level: 'silent', pretty: false }),
    held: () => [{ relayId: row.id, status: 'online', statusChangedAt: Date.now() }],
    heldReportMs,
  });
  return { relayId: row.id, aggregator, flusher };
}

describe('held relays report', () => {
  let world: TestWorld;
  let relay: TestRelay;
  let service: Service | undefined;

  beforeAll(async () => {
    world = await createWorld('held_report');
    relay = await TestRelay.start();
  });

  afterAll(async () => {
    await service?.stop();
    await relay?.close();
    await world?.drop();
  });

  it('reports every held relay, live or dead, restates its status, and stops with the replica', async () => {
    // Nothing listens on the second relay: its socket fails and stays in backoff.
    const dead = `ws://127.0.0.1:${await freePort()}`;
    const ctx = await world.context({ RELAYS: [relay.url, dead].join(','), FLUSH_INTERVAL_MS: '100' });
    const rows = () =>
      ctx.dbs.reader
        .selectFrom('relays')
        .select(['url', 'status', 'watched', 'held_at'])
        .orderBy('url')
        .execute();
    const heldAt = async (url: string) => (await rows()).find((r) => r.url === url)?.held_at?.getTime() ?? 0;

    service = await startCollector(ctx, {
      heldReportMs: REPORT_MS,
      connection: { backoffInitialMs: 5_000, backoffMaxMs: 5_000, openTimeoutMs: 1000 },
    });
    const status = async () => (await rows()).find((r) => r.url === relay.url)?.status;
    await expect.poll(status, { timeout: 10_000 }).toBe('online');

    // Both are reported again and again: the dead one from backoff, where nothing else is written.
    const first = { live: await heldAt(relay.url), dead: await heldAt(dead) };
    expect(first.dead).toBeGreaterThan(0);
    await expect
      .poll(async () => (await heldAt(relay.url)) > first.live && (await heldAt(dead)) > first.dead, {
        timeout: 5 * REPORT_MS,
      })
      .toBe(true);
    // Counter flushes (every 100 ms here) come often enough to carry every report.
    expect(await heldReports(ctx.registry, 'with_flush')).toBeGreaterThanOrEqual(2);
    expect(await heldReports(ctx.registry, 'alone')).toBe(0);
    const now = new Date();
    const statuses = (await rows()).map((r) => currentRelayStatus(r, now));
    expect(statuses).toHaveLength(2);
    expect(statuses).not.toContain('unknown');

    // A status written over by someone else (a previous holder's late flush) is restated.
    await ctx.dbs.writer
      .updateTable('relays')
      .set({ status: 'offline' })
      .where('url', '=', relay.url)
      .execute();
    await expect.poll(status, { timeout: 5 * REPORT_MS }).toBe('online');

    await service.stop();
    service = undefined;
    const stoppedAt = await heldAt(relay.url);
    await new Promise((r) => setTimeout(r, 3 * REPORT_MS));
    expect(await heldAt(relay.url)).toBe(stoppedAt);
    expect(await heldAt(dead)).toBeLessThanOrEqual(stoppedAt);
    // As readers will see it once the reports are older than the stale window.
    const later = new Date(stoppedAt + 10 * 60_000);
    expect((await rows()).map((r) => currentRelayStatus(r, later))).toEqual(['unknown', 'unknown']);
  });

  it('is written on its own when no counter flush comes soon, through the flusher', async () => {
    const ctx = await world.context({ RELAYS: relay.url, FLUSH_INTERVAL_MS: '60000' });
    const heldAt = async () =>
      (
        await ctx.dbs.reader
          .selectFrom('relays')
          .select('held_at')
          .where('url', '=', relay.url)
          .executeTakeFirst()
      )?.held_at?.getTime() ?? 0;
    const started = Date.now();
    service = await startCollector(ctx, { heldReportMs: REPORT_MS });
    await expect.poll(heldAt, { timeout: 10_000, message: 'a first report' }).toBeGreaterThanOrEqual(started);
    const first = await heldAt();
    await expect.poll(heldAt, { timeout: 5 * REPORT_MS, message: 'a later report' }).toBeGreaterThan(first);
    expect(await heldReports(ctx.registry, 'alone')).toBeGreaterThanOrEqual(2);
    expect(await heldReports(ctx.registry, 'with_flush')).toBe(0);
    await service.stop();
    service = undefined;
  });

  it('rides with a counter flush due within a quarter of the report interval', async () => {
    const ctx = await world.context({ RELAYS: relay.url, FLUSH_INTERVAL_MS: '400' });
    service = await startCollector(ctx, { heldReportMs: 1600 });
    await expect
      .poll(() => heldReports(ctx.registry, 'with_flush'), { timeout: 10_000, message: 'two reports' })
      .toBeGreaterThanOrEqual(2);
    expect(await heldReports(ctx.registry, 'alone')).toBe(0);
    await service.stop();
    service = undefined;
  });

  it('a flush asked for while a report runs alone waits for it, then flushes the counters', async () => {
    const ctx = await world.context({});
    const { aggregator, flusher } = await heldFlusher(ctx, 'wss://held.flusher.example', 0);
    const events = async () =>
      (
        await sql<{
          n: number;
        }>`select coalesce(sum(events), 0)::int as n from network_events_hourly`.execute(ctx.dbs.reader)
      ).rows[0]?.n ?? 0;
    const before = await events();
    const report = flusher.reportHeld();
    aggregator.recordUnique(unverifiedEvents('b'.repeat(64))(1), Date.UTC(2026, 10, 24, 9));
    expect(await flusher.flush()).toBe(true);
    expect(await report).toBe(true);
    expect(await events()).toBe(before + 1);
    expect(aggregator.buffer.keys).toBe(0);
  });

  it('goes alone while counter flushes fail, and rides with them again once one succeeds', async () => {
    const ctx = await world.context({});
    const { relayId, aggregator, flusher } = await heldFlusher(ctx, 'wss://held.refused.example', 60_000);
    const heldAt = async () =>
      (
        await ctx.dbs.reader
          .selectFrom('relays')
          .select('held_at')
          .where('id', '=', relayId)
          .executeTakeFirst()
      )?.held_at ?? null;
    // Counters the database refuses (as it would a value it cannot take), reports it accepts.
    await sql`create or replace function refuse_counts() returns trigger language plpgsql as $$
      begin raise exception 'refused'; end $$`.execute(ctx.dbs.writer);
    await sql`create trigger refuse_counts before insert on network_events_hourly
      for each row execute function refuse_counts()`.execute(ctx.dbs.writer);
    try {
      aggregator.recordUnique(unverifiedEvents('d'.repeat(64))(1), Date.UTC(2026, 10, 24, 9));
      expect(flusher.heldWaitMs).toBe(15_000);
      expect(await flusher.flush()).toBe(false);
      expect(await heldAt()).toBeNull();
      // Due again at once, and not to wait for the next counter flush.
      expect(flusher.heldDue).toBe(true);
      expect(flusher.heldWaitMs).toBe(0);
      expect(await flusher.reportHeld()).toBe(true);
      expect(await heldAt()).not.toBeNull();
    } finally {
      await sql`drop trigger refuse_counts on network_events_hourly`.execute(ctx.dbs.writer);
    }
    expect(await flusher.flush()).toBe(true);
    expect(aggregator.buffer.keys).toBe(0);
    expect(flusher.heldWaitMs).toBe(15_000);
  });
});
