/**
 * Trust benchmark (on demand: `pnpm --filter @nostr-info/scheduler bench:trust [--keep]
 * [--pubkeys N]`). Fills a database on the machine's PostgreSQL with a follow graph (1 M keys,
 * about 50 M edges, heavy-tailed in-degree), then times the full trust computation, the incremental
 * one after 1 % of the lists changed, and a full one on that changed graph (its saved state
 * removed), each in a process of its own so its peak RSS is its own. Prints the figures, how many
 * keys the incremental and the full computation of the same graph disagree on, and the size of the
 * graph tables.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDatabases, migrateToLatest } from '@nostr-info/shared/db';
import { createLogger } from '@nostr-info/shared/log';
import { testServices } from '@nostr-info/shared/testing';
import { sql } from 'kysely';
import pg from 'pg';
import { runTrustIfDue, type TrustRunResult } from '../src/trust/run-trust.js';
import { benchPubkey, changeLists, generateGraph } from './generate-graph.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    keep: { type: 'boolean', default: false },
    pubkeys: { type: 'string', default: '1000000' },
    child: { type: 'string' },
  },
});
const pubkeys = Number(values.pubkeys);
const NAME = 'nostr_info_bench_trust';
const SEEDS = Array.from({ length: 20 }, (_, i) => benchPubkey(i + 1));
const out = (line = '') => process.stdout.write(`${line}\n`);

function databaseUrl(): string {
  const u = new URL(testServices().TEST_PG_ADMIN_URL);
  u.pathname = `/${NAME}`;
  return u.toString();
}

/** One trust computation, in this process (the child): prints its result and peak RSS as JSON. */
async function child(at: string): Promise<void> {
  const dbs = await createDatabases({ databaseUrl: databaseUrl() });
  try {
    const result = await runTrustIfDue(
      dbs,
      {
        seeds: SEEDS,
        intervalSeconds: 60,
        fullIntervalSeconds: 86_400,
        damping: 0.85,
        iterations: 50,
        minScore: 1e-7,
      },
      { now: new Date(at), log: createLogger({ level: 'silent' }) },
    );
    out(JSON.stringify({ result, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  } finally {
    await dbs.close();
  }
}

/** Runs `child` in a process of its own and returns what it printed. */
function runChild(at: Date): Promise<{ result: TrustRunResult; maxRssMb: number; wallMs: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--child', at.toISOString()],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let text = '';
    p.stdout.on('data', (d: Buffer) => {
      text += d.toString();
    });
    p.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`trust run exited ${code}`));
      resolve({ ...JSON.parse(text.trim().split('\n').at(-1) ?? '{}'), wallMs: performance.now() - t0 });
    });
  });
}

async function prepare(): Promise<void> {
  const admin = new pg.Client({ connectionString: testServices().TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [NAME])).rowCount === 1;
    if (exists && values.keep) return;
    await admin.query(`drop database if exists "${NAME}" with (force)`);
    await admin.query(`create database "${NAME}"`);
  } finally {
    await admin.end();
  }
  const dbs = await createDatabases({ databaseUrl: databaseUrl() });
  try {
    await migrateToLatest(dbs.writer, dbs.kind);
    const t0 = performance.now();
    const counts = await generateGraph(dbs.writer, { pubkeys });
    out(`generated ${JSON.stringify(counts)} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } finally {
    await dbs.close();
  }
}

async function main(): Promise<void> {
  await prepare();
  const dbs = await createDatabases({ databaseUrl: databaseUrl() });
  try {
    await sql`delete from trust_runs`.execute(dbs.writer);
    const size = async (table: string) => {
      const { rows } = await sql<{
        b: string;
      }>`select pg_total_relation_size(${table}::regclass) as b`.execute(dbs.writer);
      return `${(Number(rows[0]?.b ?? 0) / 2 ** 20).toFixed(0)} MB`;
    };
    const t = Date.now();
    const full = await runChild(new Date(t));
    out(`full: ${JSON.stringify(full)}`);
    const c0 = performance.now();
    const changed = await changeLists(dbs.writer, 0.01, pubkeys);
    out(`changed ${changed} lists in ${((performance.now() - c0) / 1000).toFixed(1)} s`);
    const incremental = await runChild(new Date(t + 120_000));
    out(`incremental: ${JSON.stringify(incremental)}`);
    await sql`drop table if exists trusted_incremental`.execute(dbs.writer);
    await sql`create table trusted_incremental as select pubkey, score from trusted_pubkeys`.execute(
      dbs.writer,
    );
    await sql`delete from trust_state`.execute(dbs.writer);
    const fresh = await runChild(new Date(t + 240_000));
    out(`full on the changed graph: ${JSON.stringify(fresh)}`);
    const { rows: diff } = await sql<{ only_incremental: string; only_full: string; moved: string }>`
      select (select count(*) from trusted_incremental i
               where not exists (select 1 from trusted_pubkeys f where f.pubkey = i.pubkey)) as only_incremental,
             (select count(*) from trusted_pubkeys f
               where not exists (select 1 from trusted_incremental i where i.pubkey = f.pubkey)) as only_full,
             (select count(*) from trusted_pubkeys f join trusted_incremental i using (pubkey)
               where abs(f.score - i.score) > 0.01 * f.score) as moved`.execute(dbs.writer);
    await sql`drop table trusted_incremental`.execute(dbs.writer);
    out();
    const runs = [full, incremental, fresh];
    const s = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(1)} s`;
    const row = (name: string, f: (r: (typeof runs)[number]) => string | number | undefined) =>
      out(`| ${name} | ${runs.map((r) => f(r) ?? '—').join(' | ')} |`);
    out(`| | full | incremental, after 1 % of lists changed | full, same changed graph |`);
    out(`|---|---:|---:|---:|`);
    row('mode', (r) => r.result.mode);
    row('lists / edges', (r) => `${r.result.lists} / ${r.result.edges}`);
    row('wall time (process start to exit)', (r) => s(r.wallMs));
    row('trust computation', (r) => s(r.result.durationMs));
    for (const phase of ['readMs', 'computeMs', 'writeMs'] as const)
      row(phase.replace('Ms', ''), (r) => s(r.result[phase]));
    row('rounds', (r) => r.result.iterations);
    row('trusted keys', (r) => r.result.trusted);
    row('rows written / deleted', (r) => `${r.result.rowsWritten} / ${r.result.rowsDeleted}`);
    row('peak RSS', (r) => `${r.maxRssMb.toFixed(0)} MB`);
    out();
    out(
      `incremental vs full on the same graph: ${diff[0]?.only_incremental} keys trusted only by the incremental, ${diff[0]?.only_full} only by the full, ${diff[0]?.moved} stored scores more than 1 % apart (an incremental run keeps the scores of keys that stay)`,
    );
    out(`trust_state_parts: ${await size('trust_state_parts')}`);
    out(
      `database: follow_lists ${await size('follow_lists')}, pubkey_ids ${await size('pubkey_ids')}, trusted_pubkeys ${await size('trusted_pubkeys')}`,
    );
  } finally {
    await dbs.close();
  }
}

if (values.child) await child(values.child);
else await main();
