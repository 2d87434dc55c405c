import { runScheduler } from '@nostr-info/scheduler';
import { type FullSnapshot, fullSnapshotSchema } from '@nostr-info/shared/stats';
import {
  type MigratedTestDatabase,
  migratedTestDatabase,
  type TestRoleContext,
  testRoleContext,
} from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aggregator } from '../src/aggregate/aggregator.js';
import { hourOf } from '../src/aggregate/buckets.js';
import { writeBuffer } from '../src/store/flush.js';
import { unverifiedEvents } from './helpers/unverified-events.js';

// The 24h range is the last 24 hours to the 5-minute slot: a figure equals exactly what was
// received from `floor5(now) - 24 h` on, whatever the minute of the hour, so it does not drop at
// each full hour. Observations go through the collector's own buffer and flush (5-minute, hour
// and day rows), the figures through the real scheduler, at two clocks on either side of an hour.

const MIN = 60_000;
const HOUR = 60 * MIN;
/** Neither on an hour nor on a 5-minute boundary; the second clock is past the next hour. */
const CLOCKS = [Date.UTC(2026, 11, 5, 10, 37, 20), Date.UTC(2026, 11, 5, 11, 13, 20)];
const LAST = Math.max(...CLOCKS);
const startOf = (now: number) => now - (now % (5 * MIN)) - 24 * HOUR;

/** One network-unique event and what came with it; `i` keeps authors and ids distinct. */
interface Observation {
  i: number;
  at: number;
  kind: number;
  client: 'damus' | 'amethyst' | undefined;
  /** Relay B delivered a copy too (after relay A). */
  second: boolean;
  invalid: boolean;
  offFilter: boolean;
  late: boolean;
  zap: boolean;
  rejectedZap: boolean;
  deletion: boolean;
  connectedMs: number;
}

function observations(): Observation[] {
  const times: number[] = [];
  for (let at = LAST - 26 * HOUR; at <= LAST; at += 433_000) times.push(at);
  // Around each window's edge: the slot before it, its first instant, and the last one before it.
  for (const now of CLOCKS) {
    const start = startOf(now);
    times.push(start - 1, start, start + 5 * MIN - 1, now - 24 * HOUR, now - 24 * HOUR - 5 * MIN);
  }
  return times.map((at, i) => ({
    i,
    at,
    kind: [1, 7, 1, 3][i % 4] ?? 1,
    client: i % 3 === 0 ? 'damus' : i % 3 === 1 ? 'amethyst' : undefined,
    second: i % 2 === 0,
    invalid: i % 5 === 0,
    offFilter: i % 4 === 0,
    late: i % 6 === 0,
    zap: i % 7 === 0,
    rejectedZap: i % 8 === 0,
    deletion: i % 9 === 0,
    connectedMs: i % 3 === 0 ? 30_000 : 60_000,
  }));
}

/** Feeds every observation to the aggregator, as the pipeline and the zap checks do. */
function record(a: Aggregator, obs: readonly Observation[], relays: { a: number; b: number }) {
  const ev = unverifiedEvents('f'.repeat(64));
  for (const o of obs) {
    const { i } = o;
    const author = `a${i.toString(16).padStart(63, '0')}`;
    const event = ev(o.kind, o.client ? [['client', o.client]] : [], Math.floor(o.at / 1000), author);
    a.recordCopy(relays.a, o.kind, o.at, false);
    a.recordUnique(event, o.at);
    if (o.second) {
      a.recordCopy(relays.b, o.kind, o.at, true);
      a.recordFirstCorroborated(relays.a, o.kind, o.at);
    }
    if (o.invalid) a.recordInvalid(relays.b, o.kind, o.at);
    if (o.offFilter) a.buffer.filtered.addOffFilter(hourOf(o.at), relays.a, 'kind', 1, o.at);
    if (o.late) {
      a.recordCopy(relays.a, 1, o.at, false);
      a.recordUntimely(ev(1, [], 100, author), o.at, 'late');
    }
    if (o.deletion) a.recordUnique(ev(5, [['k', '1']], Math.floor(o.at / 1000), author), o.at);
    if (o.zap) {
      a.buffer.zapVerdicts.claim({
        hour: hourOf(o.at),
        atMs: o.at,
        receiptId: `e${i.toString(16).padStart(63, '0')}`,
        paymentHash: `c${i.toString(16).padStart(63, '0')}`,
        verdict: 'accepted',
        sats: 21,
        extraMsats: 0,
        sender: author,
        receiver: 'b'.repeat(64),
        signer: 'd'.repeat(64),
        recheck: false,
      });
    }
    if (o.rejectedZap) a.buffer.zapVerdicts.reject(hourOf(o.at), 'not_mainnet', 0, 0, 1, o.at);
    const health = a.buffer.healthRow(hourOf(o.at), relays.a, o.at);
    health.observedMs += 60_000;
    health.connectedMs += o.connectedMs;
  }
}

/** What the 24h snapshot at `now` must say: the observations from `startOf(now)` to `now`. */
function truth(obs: readonly Observation[], now: number) {
  const start = startOf(now);
  const inside = obs.filter((o) => o.at >= start && o.at <= now);
  const count = (pick: (o: Observation) => boolean) => inside.filter(pick).length;
  const byKind: Record<string, number> = {};
  for (const o of inside) byKind[o.kind] = (byKind[o.kind] ?? 0) + 1;
  const deletions = count((o) => o.deletion);
  if (deletions > 0) byKind['5'] = deletions;
  const unique = inside.length + deletions;
  const perHour = new Map<number, number>();
  for (const o of inside) {
    const hour = o.at - (o.at % HOUR);
    perHour.set(hour, (perHour.get(hour) ?? 0) + 1 + (o.deletion ? 1 : 0));
  }
  const series: { t: string; total: number }[] = [];
  for (let t = start - (start % HOUR); t <= now; t += HOUR)
    series.push({ t: new Date(t).toISOString(), total: perHour.get(t) ?? 0 });
  const observed = inside.length * 60_000;
  const connected = inside.reduce((n, o) => n + o.connectedMs, 0);
  const relayA = inside.length + count((o) => o.late);
  const relayB = count((o) => o.second);
  return {
    unique,
    byKind,
    series,
    relaySum: relayA + relayB,
    relayA,
    relayB,
    corroborated: relayB,
    invalid: count((o) => o.invalid),
    offFilter: count((o) => o.offFilter),
    late: count((o) => o.late),
    deletions,
    clients: { damus: count((o) => o.client === 'damus'), amethyst: count((o) => o.client === 'amethyst') },
    // Every event has its own author.
    users: inside.length,
    zaps: count((o) => o.zap),
    notMainnet: count((o) => o.rejectedZap),
    uptimePct: Math.round((connected / observed) * 10_000) / 100,
  };
}

describe.each(['postgres', 'pglite'] as const)('the rolling 24h window (%s)', (backend) => {
  let database: MigratedTestDatabase | undefined;
  let ctx: TestRoleContext<'scheduler'>;
  const relays = { a: 0, b: 0 };
  const all = observations();

  beforeAll(async () => {
    if (backend === 'postgres') database = await migratedTestDatabase('collector_rolling_24h');
    ctx = await testRoleContext('scheduler', { env: database ? { DATABASE_URL: database.url } : {} });
    for (const name of ['a', 'b'] as const) {
      const row = await ctx.dbs.writer
        .insertInto('relays')
        .values({ url: `wss://${name}.example`, source: 'seed', watched: true })
        .returning('id')
        .executeTakeFirstOrThrow();
      relays[name] = row.id;
    }
  });
  afterAll(async () => {
    await ctx?.close();
    await database?.drop();
  });

  /** Flushes what was received up to `now` and not flushed yet, then returns the 24h snapshot at `now`. */
  let flushedThrough = Number.NEGATIVE_INFINITY;
  async function snapshotAt(now: number): Promise<FullSnapshot> {
    const a = new Aggregator();
    record(
      a,
      all.filter((o) => o.at > flushedThrough && o.at <= now),
      relays,
    );
    flushedThrough = now;
    await writeBuffer(ctx.dbs.writer, a.take());
    const run = await runScheduler(ctx, { now: () => new Date(now), ranges: ['24h'], retention: false });
    expect(run.error).toBeUndefined();
    const row = await ctx.dbs.reader
      .selectFrom('statistics_snapshots')
      .select('body')
      .where('range', '=', '24h')
      .orderBy('computed_at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    return fullSnapshotSchema.parse(row.body);
  }

  it.each(CLOCKS.map((now) => [new Date(now).toISOString(), now] as const))(
    'at %s every 24h figure counts exactly what was received from floor5(now) - 24 h on',
    async (_, now) => {
      const s = await snapshotAt(now);
      const t = truth(all, now);
      // The data reach past the window on both sides of its edge, so the edge is what is tested.
      expect(all.some((o) => o.at < startOf(now) && o.at >= startOf(now) - HOUR)).toBe(true);
      expect(s.overview.events).toEqual({
        unique: t.unique,
        relay_sum: t.relaySum,
        invalid: t.invalid,
        off_filter: t.offFilter,
        late: t.late,
        future: 0,
      });
      expect(s.events.by_kind).toEqual(t.byKind);
      expect(s.events.deletions.by_kind).toEqual({ '1': t.deletions });
      // Hourly points; the first is the hour holding the window's start, counted from the start.
      expect(s.events.series.map((p) => ({ t: p.t, total: p.total }))).toEqual(t.series);
      expect(s.activity.series.map((p) => p.events)).toEqual(t.series.map((p) => p.total));
      expect(s.overview.users).toEqual({ active: t.users, new: t.users });
      expect(s.coverage.new_users_status).toBe('ok');
      expect(s.activity.series.reduce((n, p) => n + (p.new_users ?? 0), 0)).toBe(t.users);
      expect(s.clients.by_events.map((c) => [c.client, c.events])).toEqual(
        Object.entries(t.clients).sort(([x, a], [y, b]) => b - a || (x < y ? -1 : 1)),
      );
      expect(s.clients.total_users).toBe(t.clients.damus + t.clients.amethyst);
      expect(s.overview.zaps.count).toBe(t.zaps);
      expect(s.overview.zaps.sats).toBe(21 * t.zaps);
      expect(s.overview.zaps.rejected.not_mainnet).toBe(t.notMainnet);
      const byUrl = new Map(s.relays.relays.map((r) => [r.url, r]));
      expect(byUrl.get('wss://a.example')).toMatchObject({
        events: t.relayA,
        corroborated: t.corroborated,
        off_filter: t.offFilter,
        uptime_pct: t.uptimePct,
      });
      expect(byUrl.get('wss://b.example')).toMatchObject({ events: t.relayB, invalid: t.invalid });
    },
  );
});
