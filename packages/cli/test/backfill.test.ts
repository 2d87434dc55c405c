import { type ChildProcess, spawn } from 'node:child_process';
import {
  generatePopulation,
  type NostrEvent,
  publishPopulation,
  type SimNetwork,
  startSimNetwork,
  wasmSigner,
} from '@nostr-info/relay-sim';
import { createDatabases, type Databases } from '@nostr-info/shared/db';
import { type FullSnapshot, fullSnapshotSchema, type StatsRange } from '@nostr-info/shared/stats';
import { createTestDatabase, type TestDatabase } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort, runCli } from './cli-process.js';

// `nostr-info backfill` against a simulated network holding a population whose profiles and follow
// lists were published weeks ago: first-seen dates equal the population's ground truth, a bounded
// run resumes where it stopped, and the snapshot stops warming up for the ranges the run covers.

const DAY = 86_400;
const NOW = Math.floor(Date.now() / 1000);
/** The backfill's lower bound: before every event of the population, inside the 90d range. */
const SINCE = NOW - 40 * DAY;
const BACKFILLED = new Set([0, 3, 10002]);
/** Debian's prometheus-pushgateway (`scripts/services/ensure-tools.sh` installs it). */
const PUSHGATEWAY_BIN = '/usr/bin/prometheus-pushgateway';

describe('nostr-info backfill on a simulated network', () => {
  let db: TestDatabase;
  let dbs: Databases;
  let net: SimNetwork;
  let urls: string[];
  let gateway: ChildProcess;
  let gatewayUrl: string;
  let forged: NostrEvent;
  /** Ground truth: per pubkey, the earliest created_at of its profiles, follow lists, relay lists. */
  const earliest = new Map<string, number>();
  /** Events of the backfilled kinds each relay holds. */
  const held: number[] = [];
  /** Authors of a profile (kind 0), of a follow list (kind 3). */
  const authors = { 0: new Set<string>(), 3: new Set<string>() };

  beforeAll(async () => {
    const signer = await wasmSigner();
    const population = generatePopulation({
      signer,
      seed: 'backfill',
      // Profiles and follow lists are dated in the first tenth of the span: 31 to 27.9 days ago,
      // across the start of the 30d range.
      now: NOW - 600,
      spanSeconds: 31 * DAY,
      organic: 150,
      botKeys: 60,
      farms: 2,
      relays: 2,
      meanFollows: 10,
      maxFollows: 40,
      wellKnown: 3,
      seedSize: 5,
      cliqueSize: 10,
      farmFollows: 3,
      botOrganicFollows: 3,
      notesPerUser: 1,
      reactionsPerUser: 1,
      notesPerBot: 1,
      reactionsPerBot: 1,
    });
    for (const e of population.events) {
      if (e.kind === 0 || e.kind === 3) authors[e.kind].add(e.pubkey);
      if (!BACKFILLED.has(e.kind)) continue;
      if (e.created_at < (earliest.get(e.pubkey) ?? Number.POSITIVE_INFINITY))
        earliest.set(e.pubkey, e.created_at);
    }
    for (let slot = 0; slot < 2; slot++)
      held.push(
        population.placements
          .filter((p) => p.relays.includes(slot))
          .reduce((n, p) => n + p.events.filter((e) => BACKFILLED.has(e.kind)).length, 0),
      );
    net = await startSimNetwork({ relays: 2, autoStart: false, corpusSize: 10, signer });
    publishPopulation(net, population);
    // A profile with a forged signature on relay 0, older than the population: refused, counted.
    const secret = new Uint8Array(32).fill(9);
    const profile = signer.finalize(
      { kind: 0, created_at: SINCE + DAY, tags: [], content: '{"name":"x"}' },
      secret,
    );
    const other = signer.finalize(
      { kind: 0, created_at: SINCE + DAY, tags: [], content: '{"name":"y"}' },
      secret,
    );
    forged = { ...profile, sig: other.sig };
    net.publish([forged], [0]);
    urls = net.urls;
    db = await createTestDatabase('cli_backfill');
    dbs = await createDatabases({ databaseUrl: db.url, poolMax: 2 });
    expect((await runCli(['migrate'], { DATABASE_URL: db.url })).code).toBe(0);
    const port = await freePort();
    gatewayUrl = `http://127.0.0.1:${port}`;
    gateway = spawn(PUSHGATEWAY_BIN, [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file='], {
      stdio: 'ignore',
    });
    await vi.waitFor(async () => expect((await fetch(`${gatewayUrl}/-/ready`)).status).toBe(200), {
      timeout: 10_000,
      interval: 100,
    });
  });
  afterAll(async () => {
    gateway?.kill('SIGTERM');
    await dbs?.close();
    await db?.drop();
    await net?.stop();
  });

  const backfill = (...flags: string[]) =>
    runCli(
      [
        'backfill',
        '--relays',
        urls.join(','),
        '--since',
        String(SINCE),
        '--page-limit',
        '50',
        '--page-interval-ms',
        '20',
        ...flags,
      ],
      { DATABASE_URL: db.url },
      120_000,
    );
  const reqs = () => urls.map((u) => net.truth().relays[u]?.reqsReceived ?? -1);
  const progress = () =>
    dbs.reader.selectFrom('backfill_progress').selectAll().orderBy('relay_url').execute();
  const snapshot = async (range: StatsRange): Promise<FullSnapshot> => {
    const row = await dbs.reader
      .selectFrom('statistics_snapshots')
      .select('body')
      .where('range', '=', range)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    return fullSnapshotSchema.parse(row.body);
  };

  it('a fresh install reports new users as null, warming_up', async () => {
    expect((await runCli(['scheduler', 'run'], { DATABASE_URL: db.url })).code).toBe(0);
    for (const range of ['24h', '30d', 'all'] as const) {
      const s = await snapshot(range);
      expect(s.coverage.new_users_status).toBe('warming_up');
      expect(s.overview.users.new).toBeNull();
    }
  });

  it('rejects bad flags with exit 2, listing every problem', async () => {
    const bad = await runCli(['backfill', '--since', 'soon', '--concurrency', '0', '--bogus', 'x'], {
      DATABASE_URL: db.url,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since must be a past time');
    expect(bad.stderr).toContain('--concurrency must be a whole number');
    expect(bad.stderr).toContain('unknown option --bogus');
  });

  it('a bounded run stops after the page that reaches its bound and records where', async () => {
    const run = await backfill('--max-events-per-relay', '120', '--pushgateway', gatewayUrl);
    expect(run.code).toBe(0);
    const rows = await progress();
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.done).toBe(false);
      expect(r.pages).toBe(3);
      expect(Number(r.events)).toBe(150);
      expect(r.reached_at?.getTime()).toBeGreaterThan(SINCE * 1000);
    }
    // One REQ per page written.
    expect(reqs()).toEqual([3, 3]);
    expect(run.stdout).toContain('backfill: run finished');
    const last = await dbs.reader
      .selectFrom('backfill_runs')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(last.complete).toBe(false);
    // The same figures reached Prometheus through the Pushgateway.
    const text = await (await fetch(`${gatewayUrl}/metrics`)).text();
    const value = (name: string, relay?: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith(`${name}{`) && l.includes('job="nostr_info_backfill"'))
        .filter((l) => relay === undefined || l.includes(`relay="${relay}"`))
        .map((l) => Number(l.split(' ').at(-1)));
    for (const url of urls) {
      expect(value('nostr_info_backfill_pages_total', url)).toEqual([3]);
      expect(value('nostr_info_backfill_events_total', url)).toEqual([150]);
    }
    expect(value('nostr_info_backfill_complete')).toEqual([0]);
    expect(text).toMatch(/nostr_info_backfill_relays\{[^}]*state="stopped"[^}]*\} 2/);
  });

  it('a rerun resumes where the last page stopped and reads every relay down to --since', async () => {
    const run = await backfill();
    expect(run.code).toBe(0);
    const rows = await progress();
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.done).toBe(true);
      expect(r.reached_at?.getTime()).toBe(SINCE * 1000);
      // Every held event read; a page re-reads at most the events of the second it starts at.
      const events = Number(r.events);
      expect(events).toBeGreaterThanOrEqual(held[urls.indexOf(r.relay_url)] ?? Number.NaN);
      expect(events - (held[urls.indexOf(r.relay_url)] ?? 0)).toBeLessThanOrEqual(r.pages);
      // The forged profile, on relay 0 only, refused for its signature and written nowhere: once
      // on its page, once more on the last page, which asks again from its second (the oldest).
      expect(Number(r.rejected)).toBe(r.relay_url === urls[0] ? 2 : 0);
    }
    // No page asked twice: the REQs received are the pages written over both runs.
    expect(reqs()).toEqual(urls.map((u) => rows.find((r) => r.relay_url === u)?.pages));
    const last = await dbs.reader
      .selectFrom('backfill_runs')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(last).toMatchObject({ complete: true, relays: 2, relays_done: 2 });
    expect(last.since.getTime()).toBe(SINCE * 1000);
  });

  it('first-seen dates equal the ground truth; profiles and follow lists are known', async () => {
    const rows = await dbs.reader.selectFrom('pubkeys').select(['pubkey', 'first_seen_at']).execute();
    const stored = new Map(rows.map((r) => [r.pubkey, r.first_seen_at.getTime() / 1000]));
    expect(stored.size).toBe(earliest.size);
    expect(stored.has(forged.pubkey)).toBe(false);
    expect(stored).toEqual(earliest);
    const kinds = await dbs.reader
      .selectFrom('replaceable_events')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('kind')
      .execute();
    const count = (kind: number) => Number(kinds.find((k) => k.kind === kind)?.n ?? 0);
    expect(count(0)).toBe(authors[0].size);
    expect(count(3)).toBe(authors[3].size);
    const lists = await dbs.reader
      .selectFrom('follow_lists')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(lists.n)).toBe(authors[3].size);
  });

  it('a third run asks nothing of relays read down to --since', async () => {
    const before = reqs();
    const run = await backfill();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('already read down to since');
    expect(reqs()).toEqual(before);
  });

  it('after the backfill, ranges from --since on give new users equal to the ground truth', async () => {
    expect((await runCli(['scheduler', 'run'], { DATABASE_URL: db.url })).code).toBe(0);
    const month = await snapshot('30d');
    expect(month.coverage).toMatchObject({
      backfill_since: new Date(SINCE * 1000).toISOString(),
      new_users_status: 'ok',
    });
    const start = Date.parse(month.computed_at.slice(0, 10)) / 1000 - 29 * DAY;
    const truth = [...earliest.values()].filter((t) => t >= start).length;
    expect(truth).toBeGreaterThan(0);
    expect(truth).toBeLessThan(earliest.size);
    expect(month.overview.users.new).toBe(truth);
    // Backfilled keys were not received in any bucket: none is active in the range.
    expect(month.overview.users.active).toBe(0);
    // The daily points add up to the same figure.
    expect(month.activity.series.reduce((n, p) => n + (p.new_users ?? 0), 0)).toBe(truth);
    // 90d starts before --since: still warming up.
    const quarter = await snapshot('90d');
    expect(quarter.coverage.new_users_status).toBe('warming_up');
    expect(quarter.overview.user_tiers.new).toEqual({ keys: null, profiled: null, trusted: null });
  });
});
