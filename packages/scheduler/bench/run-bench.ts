/**
 * Scheduler benchmark (on demand: `pnpm --filter @nostr-info/scheduler bench [--keep] [--runs N]
 * [--only 1w,3m,1y] [--trusted N] [--db NAME] [--dump FILE]`). Fills one database per dataset on the machine's
 * PostgreSQL (1 week, 3 months, 1 year of collector output for 1,000 relays, 500,000 pubkeys, 200 clients),
 * then times full runs and each range alone, and prints one table with the datasets side by side.
 * `--db` names the database (one dataset only), so a schema change can be measured on a copy of its
 * own; `--dump` writes every snapshot the runs stored (without `computed_at`) as JSON, so two
 * versions of the code can be proven to store the same figures. Besides wall time it reports the
 * CPU time the database's backends (read from /proc, so a PostgreSQL on this machine) and the
 * process spent per full run, which other work on the machine changes far less than wall time.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createMemoryCache } from '@nostr-info/shared/cache';
import { loadEnv, type SchedulerEnv } from '@nostr-info/shared/config';
import { createDatabases, type Database, migrateToLatest } from '@nostr-info/shared/db';
import type { RoleContext } from '@nostr-info/shared/lifecycle';
import { createLogger } from '@nostr-info/shared/log';
import { STATS_RANGES, type StatsRange } from '@nostr-info/shared/stats';
import { testServices } from '@nostr-info/shared/testing';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { Registry } from 'prom-client';
import { computeSnapshot } from '../src/compute/compute-snapshot.js';
import { readRelayFacts } from '../src/compute/relay-facts.js';
import { runScheduler } from '../src/scheduler.js';
import { refreshParticipantTiers } from '../src/trust/participant-tier-refresh.js';
import { refreshUserTiersIfDue } from '../src/trust/tier-refresh.js';
import { backendCpu, cpuBetween } from './backend-cpu.js';
import { generateDataset } from './generate.js';

const DATASETS = [
  { key: '1w', label: '1 week', days: 7 },
  { key: '3m', label: '3 months', days: 91 },
  { key: '1y', label: '1 year', days: 365 },
] as const;

const { values } = parseArgs({
  // `pnpm bench -- --x` passes the `--` through.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    keep: { type: 'boolean', default: false },
    runs: { type: 'string', default: '5' },
    only: { type: 'string' },
    // Keys in trusted_pubkeys (90 % of the 500,000 pubkeys, the rest quiet keys); 0: none.
    trusted: { type: 'string', default: '0' },
    // Database name (one dataset only): a branch with its own migrations keeps off the shared one.
    db: { type: 'string' },
    dump: { type: 'string' },
  },
});
const runs = Number(values.runs);
const only = values.only?.split(',');
const trusted = Number(values.trusted);
if (values.db && only?.length !== 1) throw new Error('--db names one database: give --only with one dataset');
const adminUrl = testServices().TEST_PG_ADMIN_URL;
const out = (line = '') => process.stdout.write(`${line}\n`);

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** Creates (or with --keep reuses) the dataset's database; returns its URL and its clock. */
async function prepare(key: string, days: number): Promise<{ url: string; now: Date; fresh: boolean }> {
  const name = values.db ?? `nostr_info_bench_${key}${trusted > 0 ? `_t${trusted}` : ''}`;
  const url = withDatabase(adminUrl, name);
  const exists = await admin(
    async (c) => (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1,
  );
  if (exists && values.keep) {
    const dbs = await createDatabases({ databaseUrl: url });
    try {
      const { rows } = await sql<{ at: Date }>`select generated_at as at from bench_meta`.execute(dbs.writer);
      const at = rows[0]?.at;
      if (at) return { url, now: at, fresh: false };
    } catch {
      // Not a finished dataset: generate again.
    } finally {
      await dbs.close();
    }
  }
  await admin(async (c) => {
    await c.query(`drop database if exists "${name}" with (force)`);
    await c.query(`create database "${name}"`);
  });
  const now = new Date();
  const dbs = await createDatabases({ databaseUrl: url });
  try {
    await migrateToLatest(dbs.writer, dbs.kind);
    const t0 = performance.now();
    const counts = await generateDataset(dbs.writer, { days, now, trusted });
    const seconds = ((performance.now() - t0) / 1000).toFixed(0);
    out(`generated ${key} (${days} days) in ${seconds} s: ${JSON.stringify(counts)}`);
    await sql`create table bench_meta (generated_at timestamptz not null)`.execute(dbs.writer);
    await sql`insert into bench_meta values (${now.toISOString()}::timestamptz)`.execute(dbs.writer);
  } finally {
    await dbs.close();
  }
  return { url, now, fresh: true };
}

interface Timing {
  first: number;
  full: number;
  /** CPU time of the database's backends and of this process per full run (median). */
  dbCpu: number;
  nodeCpu: number;
  ranges: Record<StatsRange, number>;
  /** The hourly user tier refresh when no key's tiers changed (its usual case). */
  refresh: number;
  /** Of which counting the tiers per hour and day. */
  refreshBuckets: number;
  /** The zap participants' and client users' tiers, refreshed right after (none changed). */
  refreshParticipants: number;
}

/** Drops `computed_at` everywhere in a snapshot body (it is the run's clock, not a figure). */
function withoutClock(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutClock);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== 'computed_at')
        .map(([k, x]) => [k, withoutClock(x)]),
    );
  }
  return v;
}

/** Every snapshot stored after id `after`, oldest first, without `computed_at`. */
async function snapshotsAfter(db: Kysely<Database>, after: string): Promise<unknown[]> {
  const { rows } = await sql<{ range: string; body: unknown }>`
    select range, body from statistics_snapshots where id > ${after}::bigint order by id`.execute(db);
  return rows.map((r) => ({ range: r.range, body: withoutClock(r.body) }));
}

async function measure(url: string, now: Date, key: string): Promise<Timing> {
  const env = loadEnv('scheduler', { DATABASE_URL: url, LOG_LEVEL: 'silent' });
  const dbs = await createDatabases({ databaseUrl: url, poolMax: env.DATABASE_POOL_MAX });
  const ctx: RoleContext<SchedulerEnv> = {
    env,
    logger: createLogger({ level: 'silent' }),
    dbs,
    cache: createMemoryCache(),
    registry: new Registry(),
  };
  try {
    await migrateToLatest(dbs.writer, dbs.kind);
    const clock = () => now;
    // The warm run refreshes the user tiers, so the timed runs read what this code's refresh wrote.
    await sql`delete from user_tier_refreshes`.execute(dbs.writer);
    const { rows: last } = await sql<{ id: string }>`
      select coalesce(max(id), 0)::text as id from statistics_snapshots`.execute(dbs.writer);
    const before = last[0]?.id ?? '0';
    // A fresh dataset's first run also rolls all of history into the `all` totals (once).
    const t0 = performance.now();
    const warm = await runScheduler(ctx, { now: clock });
    if (warm.error) throw warm.error;
    const first = performance.now() - t0;
    const full: number[] = [];
    const dbCpu: number[] = [];
    const nodeCpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      const cpu0 = await backendCpu(dbs.writer);
      const node0 = process.cpuUsage();
      const t0 = performance.now();
      const r = await runScheduler(ctx, { now: clock });
      if (r.error) throw r.error;
      full.push(performance.now() - t0);
      const node = process.cpuUsage(node0);
      nodeCpu.push((node.user + node.system) / 1000);
      dbCpu.push(cpuBetween(cpu0, await backendCpu(dbs.writer)));
    }
    if (values.dump) {
      const file = only && only.length === 1 ? values.dump : `${values.dump}.${key}`;
      writeFileSync(file, `${JSON.stringify(await snapshotsAfter(dbs.writer, before), null, 1)}\n`);
    }
    const ranges = {} as Record<StatsRange, number>;
    for (const range of STATS_RANGES) {
      const xs: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await computeSnapshot(dbs.reader, range, now, await readRelayFacts(dbs.reader));
        xs.push(performance.now() - t0);
      }
      ranges[range] = median(xs);
    }
    const refreshes: number[] = [];
    const buckets: number[] = [];
    const participants: number[] = [];
    for (let i = 0; i < runs; i++) {
      await sql`delete from user_tier_refreshes`.execute(dbs.writer);
      const r = await refreshUserTiersIfDue(dbs.writer, { now, intervalSeconds: 3600, log: ctx.logger });
      refreshes.push(r.durationMs ?? Number.NaN);
      buckets.push(r.bucketsMs ?? Number.NaN);
      const t0 = performance.now();
      await refreshParticipantTiers(dbs.writer);
      participants.push(performance.now() - t0);
    }
    return {
      first,
      full: median(full),
      dbCpu: median(dbCpu),
      nodeCpu: median(nodeCpu),
      ranges,
      refresh: median(refreshes),
      refreshBuckets: median(buckets),
      refreshParticipants: median(participants),
    };
  } finally {
    await dbs.close();
  }
}

const results: { label: string; fresh: boolean; timing: Timing }[] = [];
for (const d of DATASETS) {
  if (only && !only.includes(d.key)) continue;
  const { url, now, fresh } = await prepare(d.key, d.days);
  results.push({ label: d.label, fresh, timing: await measure(url, now, d.key) });
}

const ms = (x: number) => `${x.toFixed(0)} ms`;
out();
out(`Scheduler run time (median of ${runs}; 1,000 relays, 500,000 pubkeys, 200 clients)`);
out();
out(`| | ${results.map((r) => r.label).join(' | ')} |`);
out(`|---|${results.map(() => '---:').join('|')}|`);
out(`| full run (all 5 ranges, with writes) | ${results.map((r) => ms(r.timing.full)).join(' | ')} |`);
out(`| database CPU per full run | ${results.map((r) => ms(r.timing.dbCpu)).join(' | ')} |`);
out(`| scheduler process CPU per full run | ${results.map((r) => ms(r.timing.nodeCpu)).join(' | ')} |`);
out(
  `| first run on the dataset (builds the all-range totals) | ${results.map((r) => (r.fresh ? ms(r.timing.first) : 'reused')).join(' | ')} |`,
);
out(`| user tier refresh (no tier changed) | ${results.map((r) => ms(r.timing.refresh)).join(' | ')} |`);
out(`| of which tiers per hour and day | ${results.map((r) => ms(r.timing.refreshBuckets)).join(' | ')} |`);
out(
  `| zap participant and client user tier refresh (none changed) | ${results.map((r) => ms(r.timing.refreshParticipants)).join(' | ')} |`,
);
for (const range of STATS_RANGES) {
  out(`| ${range} alone | ${results.map((r) => ms(r.timing.ranges[range])).join(' | ')} |`);
}
const first = results[0];
const last = results.at(-1);
if (first && last && first !== last) {
  out();
  out(`${last.label} / ${first.label} full run: ${(last.timing.full / first.timing.full).toFixed(2)} ×`);
}
