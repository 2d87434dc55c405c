import { type SimNetwork, startSimNetwork } from '@nostr-info/relay-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import type { ReplicaSource } from '../src/shard/replica-count.js';
import { dbFigures, truthFigures } from './helpers/compare.js';
import { createWorld, type TestWorld } from './helpers/context.js';

// Three collector instances (ordinals 0..2) over 240 simulated relays: every relay is watched by
// exactly one of them. A fourth joins and the replica count becomes 4: within 15 s the relays are
// re-sharded, at most 30 % move, and network-wide counts stay exact thanks to the shared dedup.

const RELAYS = 240;
/** Below the kernel's ephemeral range (32768+), so no client socket can hold one of these ports. */
const SHARD_TEST_BASE_PORT = 24000;

/** A replica count the test can change, like the StatefulSet watch does. */
class Replicas implements ReplicaSource {
  constructor(public current: number) {}
  stop(): void {}
}

describe('sharding across replicas', () => {
  let world: TestWorld;
  let net: SimNetwork;
  const services: CollectorService[] = [];

  beforeAll(async () => {
    world = await createWorld('shard');
    net = await startSimNetwork({
      relays: RELAYS,
      // Fixed ports make the relay URLs, and so the share jump hash moves on 3 → 4, the same on every
      // run (60 of 240 here, 25 %; with random ports about 1 run in 25 moves more than 30 %).
      port: SHARD_TEST_BASE_PORT,
      seed: 'collector-shard',
      rate: 150,
      corpusSize: 3000,
      autoStart: false,
    });
  });

  afterAll(async () => {
    for (const s of services) await s.stop();
    await net?.stop();
    await world?.drop();
  });

  it('covers every relay exactly once, re-shards 3 → 4 quickly, and keeps counts exact', async () => {
    const replicas = [new Replicas(3), new Replicas(3), new Replicas(3), new Replicas(4)];
    const start = async (ordinal: number) => {
      const ctx = await world.context({
        RELAYS: net.urls.join(','),
        COLLECTOR_ORDINAL: String(ordinal),
        COLLECTOR_REPLICAS: '3',
        RECONCILE_INTERVAL_MS: '1000',
      });
      const replicaSource = replicas[ordinal] as Replicas;
      const service = await startCollector(ctx, { nip11: false, replicas: replicaSource });
      services.push(service);
      return service;
    };
    for (const ordinal of [0, 1, 2]) await start(ordinal);
    await net.waitForSubscribers(RELAYS, 30_000);
    const owned = () => services.flatMap((s) => s.ownedRelays());
    expect(owned().sort()).toEqual([...net.urls].sort());
    expect(net.stats().connections).toBe(RELAYS);
    const before = new Map(services.flatMap((s, i) => s.ownedRelays().map((u) => [u, i] as const)));

    net.resume();
    await new Promise((r) => setTimeout(r, 2000));

    // Scale out: the new replica starts with N = 4, the others learn it from their source.
    const scaledAt = Date.now();
    await start(3);
    for (const r of replicas) r.current = 4;
    const coverage = () => {
      const all = owned();
      return { owned: all.length, distinct: new Set(all).size, connections: net.stats().connections };
    };
    await expect
      .poll(coverage, { timeout: 15_000, message: 're-shard' })
      .toEqual({ owned: RELAYS, distinct: RELAYS, connections: RELAYS });
    await net.waitForSubscribers(RELAYS, 15_000 - (Date.now() - scaledAt));
    expect(Date.now() - scaledAt).toBeLessThan(15_000);
    const after = new Map(services.flatMap((s, i) => s.ownedRelays().map((u) => [u, i] as const)));
    const moved = net.urls.filter((u) => before.get(u) !== after.get(u));
    expect(moved.length / RELAYS).toBeLessThanOrEqual(0.3);
    expect(moved.length).toBeGreaterThan(0);
    for (const u of moved) expect(after.get(u)).toBe(3);

    await new Promise((r) => setTimeout(r, 2000));
    net.pause();
    await net.drain();
    await new Promise((r) => setTimeout(r, 500));
    for (const s of services.splice(0)) await s.stop();

    const truth = net.truth();
    const got = await dbFigures((await world.context({ RELAYS: net.urls[0] ?? '' })).dbs.reader);
    const want = truthFigures(truth, net.urls);
    // Network-wide figures are exact across replicas (Redis dedup).
    expect(got.uniqueByKind).toEqual(want.uniqueByKind);
    expect(got.pubkeys).toBe(want.pubkeys);
    expect(got.users).toEqual(want.users);
    expect(got.clients).toEqual(want.clients);
    expect(got.zaps).toEqual(want.zaps);
    expect(got.relays).toEqual(want.relays);
  });
});
