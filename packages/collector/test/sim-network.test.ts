import { type SimNetwork, startSimNetwork } from '@nostr-info/relay-sim';
import type { Service } from '@nostr-info/shared/lifecycle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import { dbFigures, truthFigures } from './helpers/compare.js';
import { createWorld, type TestWorld } from './helpers/context.js';
import { streamFor } from './helpers/stream.js';

// The simulated network streams realistically shaped traffic: each event on up to 6 relays,
// invalid ids and signatures, zaps, client tags, articles, replaceable events. After the stream
// stops and the collector flushes, every figure equals the simulator's exact ground truth.

describe('collector over the simulated network', () => {
  let world: TestWorld;
  let net: SimNetwork;
  let service: Service | undefined;

  beforeAll(async () => {
    world = await createWorld('sim');
    net = await startSimNetwork({
      relays: 12,
      seed: 'collector-sim',
      rate: 300,
      corpusSize: 3000,
      autoStart: false,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await net?.stop();
    await world?.drop();
  });

  it('matches the ground truth exactly', async () => {
    const ctx = await world.context({ RELAYS: net.urls.join(','), FLUSH_MAX_EVENTS: '200' });
    service = await startCollector(ctx, { nip11: false });
    await net.waitForSubscribers(net.urls.length, 15_000);
    await streamFor(net, 5000);
    await service.stop();
    service = undefined;

    const truth = net.truth();
    expect(truth.unique).toBeGreaterThan(500);
    expect(Object.values(truth.relays).reduce((s, r) => s + r.invalid, 0)).toBeGreaterThan(0);
    expect(truth.zaps.receipts).toBeGreaterThan(0);
    const got = await dbFigures(ctx.dbs.reader);
    expect(got).toEqual(truthFigures(truth, net.urls));
  });
});
