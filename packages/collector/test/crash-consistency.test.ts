import { execFileSync } from 'node:child_process';
import { SteadyStream, startThirdPartyRelay, type ThirdPartyRelay } from '@nostr-info/relay-sim';
import { freePort, relaysUp, testServices, truthOf, writtenFigures } from '@nostr-info/shared/testing';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { type CollectorChild, startCollectorChild } from './helpers/collector-child.js';
import { createWorld, type TestWorld } from './helpers/context.js';

// Crash consistency on PostgreSQL + Redis, with real third-party relays that keep every event and
// a steady stream of fresh events: a collector killed with SIGKILL anywhere, with or without the
// cache's keys, restarts from the resume points its flushes committed. Afterwards unique events by
// kind, the copies credited to every relay and the active pubkeys equal what the relays accepted:
// nothing lost, nothing counted twice.

const RELAYS = 6;
const RATE = 40;

interface Replica extends CollectorChild {
  ordinal: number;
  metricsPort: number;
}

/** A metric's value summed over its series that carry `label` (e.g. `from="durable"`). */
async function metric(r: Replica, name: string, label = ''): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${r.metricsPort}/metrics`).then((res) => res.text());
  return text
    .split('\n')
    .filter((line) => line.startsWith(`nostr_info_${name}`) && line.includes(label))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash-consistent collection on PostgreSQL + Redis', () => {
  let world: TestWorld | undefined;
  let relays: ThirdPartyRelay[] = [];
  let stream: SteadyStream | undefined;
  const replicas: Replica[] = [];

  afterEach(async () => {
    for (const r of replicas.splice(0)) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    stream?.close();
    for (const relay of relays) await relay.stop();
    relays = [];
    await world?.drop();
    world = undefined;
  });
  afterAll(() => undefined);

  const start = async (ordinal: number, count: number, extra: Record<string, string> = {}) => {
    const w = world as TestWorld;
    const metricsPort = await freePort();
    const child = startCollectorChild(w, {
      RELAYS: relays.map((r) => r.url).join(','),
      POD_NAME: `nostr-info-collector-${ordinal}`,
      COLLECTOR_REPLICAS: String(count),
      METRICS_PORT: String(metricsPort),
      RECONCILE_INTERVAL_MS: '1000',
      FLUSH_INTERVAL_MS: '1000',
      LOG_LEVEL: 'error',
      ...extra,
    });
    const replica = { ...child, ordinal, metricsPort };
    replicas.push(replica);
    return replica;
  };

  const kill = async (r: Replica) => {
    r.child.kill('SIGKILL');
    await r.exited;
  };

  const stop = async (r: Replica) => {
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
  };

  /** Every relay subscribed once across `live`. */
  const allUp = async (live: Replica[]) => {
    const counts = await Promise.all(live.map((r) => relaysUp(`http://127.0.0.1:${r.metricsPort}/metrics`)));
    const up = counts.reduce((a, b) => a + b, 0);
    if (up !== RELAYS) throw new Error(`${up} of ${RELAYS} relays subscribed`);
  };

  const setUp = async (name: string) => {
    world = await createWorld(name);
    relays = await Promise.all(Array.from({ length: RELAYS }, () => startThirdPartyRelay()));
    stream = new SteadyStream({ urls: relays.map((r) => r.url), rate: RATE, copies: 3, spreadMs: 1000 });
  };

  /** Stops the stream, lets the replicas read the rest, stops them, and compares with the truth. */
  const finish = async (live: Replica[]) => {
    const s = stream as SteadyStream;
    await s.stop();
    await sleep(3000);
    await Promise.all(live.map(stop));
    const check = await (world as TestWorld).context({ RELAYS: relays[0]?.url ?? '' });
    const written = await writtenFigures(
      check.dbs.reader,
      relays.map((r) => r.url),
    );
    const truth = truthOf(s.truth());
    expect(s.truth().ids.size).toBeGreaterThan(RATE * 8);
    expect(written).toEqual(truth);
  };

  it('kill -9 of a collector mid-stream: restarted, it resumes at once and loses and doubles nothing', async () => {
    await setUp('crash-kill');
    const first = await start(0, 1);
    await vi.waitFor(() => allUp([first]), { timeout: 30_000, interval: 200 });
    await (stream as SteadyStream).start();
    await sleep(4000);
    await kill(first);
    // Published while nobody reads: the restart must ask for it.
    await sleep(2000);
    const restartedAt = Date.now();
    const second = await start(0, 1);
    await vi.waitFor(() => allUp([second]), { timeout: 30_000, interval: 100 });
    const resubscribedMs = Date.now() - restartedAt;
    console.info(`kill -9 → every relay subscribed again: ${resubscribedMs} ms after the restart`);
    // Not after a lease lapses or a hand-over wait: the dead holder is fenced at once.
    expect(resubscribedMs).toBeLessThan(15_000);
    expect(await metric(second, 'collector_resumes_total', 'from="durable"')).toBe(RELAYS);
    await sleep(3000);
    await finish([second]);
  }, 120_000);

  it('cache keys wiped and the collector killed: re-delivered events are recognised from the database', async () => {
    await setUp('crash-wipe');
    const first = await start(0, 1);
    await vi.waitFor(() => allUp([first]), { timeout: 30_000, interval: 200 });
    await (stream as SteadyStream).start();
    await sleep(4000);
    await kill(first);
    // Every dedup claim and hand-over key gone (a Redis restarted without persistence).
    const wiped = execFileSync('redis-cli', [
      '-u',
      testServices().TEST_REDIS_URL,
      'EVAL',
      "local n = 0 for _, k in ipairs(redis.call('KEYS', ARGV[1])) do n = n + redis.call('DEL', k) end return n",
      '0',
      `${(world as TestWorld).prefix}*`,
    ]);
    expect(Number(wiped.toString().trim())).toBeGreaterThan(0);
    const second = await start(0, 1);
    await vi.waitFor(() => allUp([second]), { timeout: 30_000, interval: 100 });
    await sleep(4000);
    await finish([second]);
  }, 120_000);

  it('kill -9 of a replica during a 3 → 4 re-shard: its relays resume wherever they land', async () => {
    await setUp('crash-reshard');
    const three = await Promise.all([0, 1, 2].map((i) => start(i, 3)));
    await vi.waitFor(() => allUp(three), { timeout: 30_000, interval: 200 });
    await (stream as SteadyStream).start();
    await sleep(3000);
    // Scale out: a fourth replica; 0 and 2 restart gracefully with the new count, 1 is killed.
    const fourth = await start(3, 4);
    await Promise.all([stop(three[0] as Replica), kill(three[1] as Replica), stop(three[2] as Replica)]);
    await sleep(1000);
    const four = [...(await Promise.all([0, 1, 2].map((i) => start(i, 4)))), fourth];
    await vi.waitFor(() => allUp(four), { timeout: 30_000, interval: 100 });
    await sleep(3000);
    await finish(four);
  }, 120_000);

  it('kill -9 of two of three replicas at once: both restart and the counts stay exact', async () => {
    await setUp('crash-two');
    const live = await Promise.all([0, 1, 2].map((i) => start(i, 3)));
    await vi.waitFor(() => allUp(live), { timeout: 30_000, interval: 200 });
    await (stream as SteadyStream).start();
    await sleep(4000);
    await Promise.all([kill(live[1] as Replica), kill(live[2] as Replica)]);
    await sleep(1500);
    const back = await Promise.all([1, 2].map((i) => start(i, 3)));
    const now = [live[0] as Replica, ...back];
    await vi.waitFor(() => allUp(now), { timeout: 30_000, interval: 100 });
    await sleep(3000);
    await finish(now);
  }, 120_000);
});
