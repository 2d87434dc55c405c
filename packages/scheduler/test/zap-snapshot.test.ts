import type { Database } from '@nostr-info/shared/db';
import { type FullSnapshot, fullSnapshotSchema, type StatsRange } from '@nostr-info/shared/stats';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScheduler } from '../src/scheduler.js';
import { type Backend, createTestContext, type TestContext } from './context.js';
import { NOW, slotOf } from './fixture.js';

// The zap figures of a snapshot, from rows as collectors write them: accepted receipts in
// `zaps_*` (summed to the msat), the rest by NIP-57 reason in `zap_rejections_*`. Only accepted
// receipts are in count and sats; unverified ones are shown apart with their amount; `flagged`
// keeps counting the amount rejections (and what older collectors stored as flagged).

type Db = Kysely<Database>;

/** Adds one observation to the 5-minute, hour and day rows of a counter, as a flush does. */
async function add(
  db: Db,
  table: 'zaps' | 'zap_rejections',
  at: string,
  key: object,
  counters: Record<string, number>,
) {
  for (const [suffix, bucket] of [
    ['hourly', { hour: `${at.slice(0, 13)}:00:00Z` }],
    ['5m', { bucket: slotOf(at) }],
    ['daily', { day: at.slice(0, 10) }],
  ] as const) {
    const keys = { ...bucket, ...key };
    const cols = [...Object.keys(keys), ...Object.keys(counters)];
    const updates = Object.keys(counters).map(
      (c) => sql`${sql.ref(c)} = t.${sql.ref(c)} + excluded.${sql.ref(c)}`,
    );
    await sql`insert into ${sql.table(`${table}_${suffix}`)} as t (${sql.join(cols.map((c) => sql.ref(c)))})
              values (${sql.join([...Object.values(keys), ...Object.values(counters)])})
              on conflict (${sql.join(Object.keys(keys).map((k) => sql.ref(k)))}) do update set ${sql.join(updates)}`.execute(
      db,
    );
  }
}
const reject = (db: Db, at: string, reason: string, receipts: number, sats = 0, extra_msats = 0) =>
  add(db, 'zap_rejections', at, { reason }, { receipts, sats, extra_msats });

/** Inside every range · inside 7d and longer only · inside 90d and `all` only. */
const RECENT = '2026-11-24T11:10:00Z';
const DAYS_AGO = '2026-11-21T09:00:00Z';
const LONG_AGO = '2026-10-01T00:00:00Z';

async function seed(db: Db): Promise<void> {
  await add(db, 'zaps', RECENT, {}, { zaps: 1, sats: 100, extra_msats: 500, flagged: 1, invalid_bolt11: 0 });
  // Two unverified receipts of 10.6 sats: 21 whole sats only when summed to the msat.
  await reject(db, RECENT, 'unverified', 1, 10, 600);
  await reject(db, RECENT, 'unverified', 1, 10, 600);
  await reject(db, RECENT, 'no_request', 5, 5_000_000);
  await reject(db, RECENT, 'amount_mismatch', 1, 21);
  await reject(db, RECENT, 'implausible', 2);
  await reject(db, DAYS_AGO, 'duplicate_payment', 3, 300);
  await reject(db, DAYS_AGO, 'zapper_mismatch', 1, 1_000_000);
  await reject(db, DAYS_AGO, 'unverified', 1, 5);
  await reject(db, LONG_AGO, 'not_mainnet', 4, 84);
}

const reasons = (r: Partial<Record<string, number>>) => ({
  no_request: 0,
  bad_request: 0,
  recipient_mismatch: 0,
  implausible: 0,
  not_mainnet: 0,
  amount_mismatch: 0,
  zapper_mismatch: 0,
  unverified: 0,
  duplicate_payment: 0,
  ...r,
});

describe.each<Backend>(['postgres', 'pglite'])('zap figures of a snapshot (%s)', (backend) => {
  let t: TestContext;
  const snapshots = new Map<StatsRange, FullSnapshot>();

  beforeAll(async () => {
    t = await createTestContext(backend);
    await seed(t.dbs.writer);
    const result = await runScheduler(t.ctx, { now: () => NOW });
    expect(result.error).toBeUndefined();
    for (const row of await t.dbs.writer.selectFrom('statistics_snapshots').selectAll().execute())
      snapshots.set(row.range, fullSnapshotSchema.parse(row.body));
  });
  afterAll(async () => {
    await t?.close();
  });
  const zaps = (range: StatsRange) => snapshots.get(range)?.overview.zaps;

  it('24h: accepted receipts only in count and sats; the rest by reason; unverified apart', () => {
    expect(zaps('24h')).toEqual({
      count: 1,
      sats: 100,
      senders: 0,
      receivers: 0,
      tiers: {
        senders: { keys: 0, profiled: 0, trusted: null },
        receivers: { keys: 0, profiled: 0, trusted: null },
      },
      flagged: 4,
      rejected: reasons({ no_request: 5, amount_mismatch: 1, implausible: 2, unverified: 2 }),
      unverified: { count: 2, sats: 21 },
    });
  });

  it('7d and all: each range counts the rejections it covers', () => {
    const week = reasons({
      no_request: 5,
      amount_mismatch: 1,
      implausible: 2,
      unverified: 3,
      duplicate_payment: 3,
      zapper_mismatch: 1,
    });
    expect(zaps('7d')).toMatchObject({
      count: 1,
      sats: 100,
      rejected: week,
      unverified: { count: 3, sats: 26 },
    });
    expect(zaps('all')).toMatchObject({
      count: 1,
      rejected: { ...week, not_mainnet: 4 },
      unverified: { count: 3, sats: 26 },
    });
  });
});
