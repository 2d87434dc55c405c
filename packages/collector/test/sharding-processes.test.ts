import type { ChildProcess } from 'node:child_process';
import { type SimNetwork, startSimNetwork } from '@nostr-info/relay-sim';
import { normalizeRelayUrl, ownerOf } from '@nostr-info/shared/relay';
import { freePort } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCollectorChild } from './helpers/collector-child.js';
import { dbFigures, truthFigures } from './helpers/compare.js';
import { createWorld, type TestWorld } from './helpers/context.js';

// Three collector PROCESSES, as three StatefulSet pods outside a cluster (POD_NAME ordinals,
// COLLECTOR_REPLICAS), over 240 simulated relays: each relay is open in exactly one of them, as
// each one's /metrics says. A fourth joins and the three restart with N = 4 (how replicas learn a
// new count without a StatefulSet to watch; `sharding.test.ts` changes it live): within 15 s
// every relay is open exactly once again, at most 30 % moved, and the counts written by all of
// them equal the simulator's ground truth (relays handed over through checkpoints, events
// counted once network-wide through the shared Redis).

const RELAYS = 240;
/** Its own fixed range, below the ephemeral ports (see sharding.test.ts). */
const BASE_PORT = 25000;

interface Replica {
  ordinal: number;
  child: ChildProcess;
  metricsPort: number;
  exited: Promise<number | null>;
}

describe('sharding across collector processes', () => {
  let world: TestWorld;
  let net: SimNetwork;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    world = await createWorld('shardproc');
    net = await startSimNetwork({
      relays: RELAYS,
      port: BASE_PORT,
      seed: 'collector-shard-processes',
      rate: 150,
      corpusSize: 4000,
      autoStart: false,
    });
  });

  afterAll(async () => {
    for (const r of replicas) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    await net?.stop();
    await world?.drop();
  });

  const start = async (ordinal: number, count: number): Promise<Replica> => {
    const metricsPort = await freePort();
    const { child, exited } = startCollectorChild(world, {
      RELAYS: net.urls.join(','),
      POD_NAME: `nostr-info-collector-${ordinal}`,
      COLLECTOR_REPLICAS: String(count),
      METRICS_PORT: String(metricsPort),
      RECONCILE_INTERVAL_MS: '1000',
      FLUSH_INTERVAL_MS: '500',
    });
    const replica = { ordinal, child, metricsPort, exited };
    replicas.push(replica);
    return replica;
  };

  const stop = async (r: Replica) => {
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
  };

  /** Relays each live replica has open and subscribed, from its own /metrics. */
  const openRelays = async (live: Replica[]): Promise<Map<string, number[]>> => {
    const open = new Map<string, number[]>();
    for (const r of live) {
      const text = await fetch(`http://127.0.0.1:${r.metricsPort}/metrics`)
        .then((res) => res.text())
        .catch(() => '');
      for (const m of text.matchAll(/^nostr_info_collector_relay_up\{relay="([^"]+)"[^}]*\} 1$/gm)) {
        const url = m[1] as string;
        open.set(url, [...(open.get(url) ?? []), r.ordinal]);
      }
    }
    return open;
  };

  /**
   * Each relay's replica, once every relay is open in exactly one replica, the one jump hash gives
   * it among `count`; throws until then.
   */
  const converged = async (live: Replica[], count: number): Promise<Map<string, number>> => {
    const open = await openRelays(live);
    const connections = net.stats().connections;
    if (open.size !== RELAYS || connections !== RELAYS) {
      throw new Error(`${open.size} relays open, ${connections} connections, not ${RELAYS}`);
    }
    for (const url of net.urls) {
      const owners = open.get(normalizeRelayUrl(url));
      const owner = ownerOf(normalizeRelayUrl(url), count);
      if (owners?.length !== 1 || owners[0] !== owner) {
        throw new Error(`${url} is open in replicas [${owners?.join(', ')}], not in ${owner} alone`);
      }
    }
    return new Map([...open].map(([url, [owner]]) => [url, owner as number]));
  };

  // Its own waits allow 60 s to converge and 15 s to re-shard, past the default 30 s timeout (it
  // takes about 23 s on an idle machine: seven process starts, three stops, 5 s of streaming).
  it('covers every relay exactly once, re-shards 3 → 4 within 15 s, and keeps counts exact', async () => {
    const first = await Promise.all([0, 1, 2].map((i) => start(i, 3)));
    // Three processes covering every relay once.
    const before = await vi.waitFor(() => converged(first, 3), { timeout: 60_000 });
    net.resume();
    await new Promise((r) => setTimeout(r, 2000));

    // Scale out: a fourth process, and the three restarted with the new count (in parallel, as
    // the chart's podManagementPolicy does), while the network keeps streaming.
    const scaledAt = Date.now();
    const fourth = await start(3, 4);
    await Promise.all(first.map((r) => stop(r)));
    const stoppedAt = Date.now();
    const second = await Promise.all([0, 1, 2].map((i) => start(i, 4)));
    const live = [...second, fourth];
    // Re-shard to four processes.
    const after = await vi.waitFor(() => converged(live, 4), { timeout: 15_000 });
    const convergedAt = Date.now();
    console.info(
      `re-shard 3 → 4: ${convergedAt - scaledAt} ms (stops ${stoppedAt - scaledAt} ms, then ${convergedAt - stoppedAt} ms to converge)`,
    );
    expect(convergedAt - scaledAt).toBeLessThan(15_000);
    const moved = [...after].filter(([url, owner]) => before.get(url) !== owner);
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.length / RELAYS).toBeLessThanOrEqual(0.3);
    for (const [, owner] of moved) expect(owner).toBe(3);

    await new Promise((r) => setTimeout(r, 2000));
    net.pause();
    await net.drain();
    await new Promise((r) => setTimeout(r, 1000));
    await Promise.all(live.map((r) => stop(r)));

    const check = await world.context({ RELAYS: net.urls[0] ?? '' });
    expect(await dbFigures(check.dbs.reader)).toEqual(truthFigures(net.truth(), net.urls));
  }, 120_000);
});
