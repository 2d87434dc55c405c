/**
 * API benchmark (on demand: `pnpm --filter @nostr-info/api bench [-- --duration 10]`).
 * Seeds snapshots into real Redis and Postgres, starts three servers in their own processes
 * (bare node:http, this API, the Express stack), drives each with autocannon (50 connections)
 * against the cached `overview` and `full/all`, and prints one table.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createCache } from '@nostr-info/shared/cache';
import { loadEnv } from '@nostr-info/shared/config';
import { createDatabases, migrateToLatest } from '@nostr-info/shared/db';
import { SNAPSHOT_TTL_SECONDS, snapshotCacheKey } from '@nostr-info/shared/stats';
import { createTestDatabase, testServices } from '@nostr-info/shared/testing';
import autocannon from 'autocannon';
import { buildSnapshot } from '../test/fixtures.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const durationSeconds = flag('duration', 10);
const connections = flag('connections', 50);
/** `--only hono` / `--endpoint overview` run one server / endpoint; `--cpu-prof DIR` writes V8 CPU profiles there. */
const onlyEndpoint = args.includes('--endpoint') ? args[args.indexOf('--endpoint') + 1] : undefined;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const cpuProfDir = args.includes('--cpu-prof') ? args[args.indexOf('--cpu-prof') + 1] : undefined;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

interface Server {
  child: ChildProcess;
  port: number;
  /** The server's CPU time so far, in µs. */
  cpu(): Promise<number>;
}

function startServer(file: string, argv: string[]): Promise<Server> {
  const prof = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', here(file), ...argv], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const cpuWaiters: ((us: number) => void)[] = [];
  const cpu = () =>
    new Promise<number>((resolve) => {
      cpuWaiters.push(resolve);
      child.kill('SIGUSR2');
    });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (let m = /CPU (\d+)\n/.exec(out); m; m = /CPU (\d+)\n/.exec(out)) {
        out = out.replace(m[0], '');
        cpuWaiters.shift()?.(Number(m[1]));
      }
      const ready = /READY (\d+)/.exec(out);
      if (ready) {
        out = out.replace(ready[0], '');
        resolve({ child, port: Number(ready[1]), cpu });
      }
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

interface Row {
  server: string;
  endpoint: string;
  rps: number;
  p50: number;
  p99: number;
  mbps: number;
  errors: number;
  /** Server CPU per request: robust to other load on the machine, unlike req/s. */
  cpuUs: number;
}

async function measure(name: string, server: Server, endpoint: string, path: string): Promise<Row> {
  const url = `http://127.0.0.1:${server.port}${path}`;
  await autocannon({ url, connections, duration: 1 }); // warm-up
  const cpuBefore = await server.cpu();
  const r = await autocannon({ url, connections, duration: durationSeconds });
  const cpuUs = (await server.cpu()) - cpuBefore;
  return {
    server: name,
    endpoint,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    mbps: r.throughput.average / 1e6,
    errors: r.errors + r.timeouts + r.non2xx,
    cpuUs: cpuUs / Math.max(1, r.requests.total),
  };
}

const { TEST_REDIS_URL } = testServices();
const keyPrefix = `bench:api:${randomBytes(4).toString('hex')}:`;
const db = await createTestDatabase('api_bench');
const children: ChildProcess[] = [];
try {
  const dbs = await createDatabases({ databaseUrl: db.url });
  const migrated = await migrateToLatest(dbs.writer, dbs.kind);
  if (migrated.error) throw migrated.error;
  const cache = createCache(loadEnv('api', { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: keyPrefix }));
  const sizes: Record<string, number> = {};
  for (const [range, points] of [
    ['24h', 24],
    ['all', 365],
  ] as const) {
    const json = JSON.stringify(buildSnapshot(range, { relays: 240, points }));
    sizes[range] = json.length;
    await cache.set(snapshotCacheKey(range), json, SNAPSHOT_TTL_SECONDS);
    await dbs.writer
      .insertInto('statistics_snapshots')
      .values({ range, computed_at: new Date().toISOString(), duration_ms: 1, body: json })
      .execute();
  }
  await dbs.close();

  const rows: Row[] = [];
  const endpoints = [
    ['overview', '/api/v1/stats/overview?range=24h'],
    ['full/all', '/api/v1/stats/full/all'],
  ] as const;
  // The API runs first: one response per endpoint gives the header fields the same-bytes
  // baseline sends (Node adds Date, Connection and Keep-Alive to both).
  const captured: Record<string, string[]> = {};
  const servers = [
    ['hono api', 'hono-server.ts', [db.url, TEST_REDIS_URL, keyPrefix]],
    ['node:http', 'bare-server.ts', [TEST_REDIS_URL, keyPrefix]],
    ['node:http 2h', 'bare-server.ts', [TEST_REDIS_URL, keyPrefix]],
    ['express', 'express-server.ts', [TEST_REDIS_URL, keyPrefix]],
  ] as const;
  for (const [name, file, argv] of servers) {
    if (only && !name.includes(only) && !(only === 'node' && name.startsWith('node'))) continue;
    const extra = name === 'node:http' ? [JSON.stringify(captured)] : [];
    const server = await startServer(file, [...argv, ...extra]);
    children.push(server.child);
    if (name === 'hono api') {
      for (const [, path] of endpoints) {
        const res = await fetch(`http://127.0.0.1:${server.port}${path}`, {
          headers: { 'accept-encoding': 'identity' },
        });
        await res.arrayBuffer();
        captured[path] = [...res.headers.entries()]
          .filter(([k]) => !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(k))
          .flat();
      }
    }
    for (const [endpoint, path] of endpoints)
      if (!onlyEndpoint || endpoint.startsWith(onlyEndpoint))
        rows.push(await measure(name, server, endpoint, path));
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await exited;
  }

  const fmt = (n: number, d = 0) => n.toFixed(d).padStart(9);
  const out = [
    `autocannon: ${connections} connections, ${durationSeconds} s per run; full/all body ${(sizes.all ?? 0) / 1000} kB`,
    "node:http sends the API's exact bytes (same header fields and body); node:http 2h the same body with Content-Type and Content-Length only.",
    `${'server'.padEnd(12)} ${'endpoint'.padEnd(9)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'MB/s'.padStart(9)} ${'errors'.padStart(9)} ${'cpu µs/req'.padStart(11)}`,
    ...rows.map(
      (r) =>
        `${r.server.padEnd(12)} ${r.endpoint.padEnd(9)} ${fmt(r.rps)} ${fmt(r.p50, 1)} ${fmt(r.p99, 1)} ${fmt(r.mbps, 1)} ${fmt(r.errors)} ${fmt(r.cpuUs, 1).padStart(11)}`,
    ),
    '',
  ];
  for (const [endpoint] of endpoints) {
    const get = (server: string) => rows.find((r) => r.server === server && r.endpoint === endpoint);
    const bare = get('node:http');
    const bare2 = get('node:http 2h');
    const hono = get('hono api');
    const exp = get('express');
    if (!bare || !hono || !exp) continue;
    out.push(
      `${endpoint}: api/node:http ${((100 * hono.rps) / bare.rps).toFixed(0)} % (target >= 70 %; ` +
        `vs node:http with 2 header fields ${bare2 ? ((100 * hono.rps) / bare2.rps).toFixed(0) : '-'} %), ` +
        `api/express ${(hono.rps / exp.rps).toFixed(2)}x (target >= 2x), api p99 ${hono.p99} ms (target <= 15 ms); ` +
        `server CPU per request: node:http/api ${((100 * bare.cpuUs) / hono.cpuUs).toFixed(0)} %, express/api ${(exp.cpuUs / hono.cpuUs).toFixed(2)}x`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
  await cache.close();
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await db.drop();
}
