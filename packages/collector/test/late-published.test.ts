import { type SimNetwork, startSimNetwork } from '@nostr-info/relay-sim';
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import { watchedFor } from './helpers/checkpoint.js';
import { dbFigures, truthFigures } from './helpers/compare.js';
import { createWorld, type TestWorld } from './helpers/context.js';

// Events a relay receives while the collector is away, with timestamps older than the gap
// (re-broadcasts, backdated publishes), are counted once the collector is back: the resumed
// subscription looks back RESUME_LOOKBACK_SECONDS, and the per-relay seen set recognises every
// copy replayed from that window, so nothing is counted twice. Checked against the simulator's
// ground truth, after an in-process reconnect and after a restart (checkpoint handed over).

const key = generateSecretKey();
let serial = 0;
const note = (ageSeconds: number) =>
  finalizeEvent(
    {
      kind: 1,
      created_at: Math.floor(Date.now() / 1000) - ageSeconds,
      tags: [],
      content: `late-published test note ${serial++}`,
    },
    key,
  );

describe('late-published events across a gap', () => {
  let world: TestWorld;
  let net: SimNetwork;
  let service: CollectorService | undefined;

  beforeAll(async () => {
    world = await createWorld('late');
    net = await startSimNetwork({
      relays: 3,
      copies: 3,
      seed: 'collector-late',
      rate: 100,
      corpusSize: 1000,
      autoStart: false,
      disconnectAfterMs: 200,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await net?.stop();
    await world?.drop();
  });

  const start = async (watchedBefore = 0) => {
    const ctx = await world.context({ RELAYS: net.urls.join(','), RESUME_LOOKBACK_SECONDS: '900' });
    if (watchedBefore > 0) await watchedFor(ctx.cache, net.urls, watchedBefore);
    // The backoff leaves the relay alone for 0.75-1.5 s after a disconnect.
    const started = await startCollector(ctx, {
      nip11: false,
      connection: { backoffInitialMs: 1500, backoffMaxMs: 1500 },
    });
    service = started;
    await net.waitForSubscribers(net.urls.length, 15_000);
    return { ctx, started };
  };
  const stream = async (ms: number) => {
    net.resume();
    await new Promise((r) => setTimeout(r, ms));
    net.pause();
    await net.drain();
  };

  it('counts them exactly once after a reconnect and after a restart', async () => {
    const [url0, url1] = net.urls as [string, string];
    // The relays have been watched for the last 15 minutes (a collector never resumes below its
    // first subscription: before it, another process may have counted the relay already).
    const first = await start(900);
    await stream(1500);

    // Relay 0 drops the collector; while it is away the relay gets a note backdated ten minutes
    // and a fresh one. The other relays stay connected and get nothing new meanwhile.
    net.setMode(0, 'disconnect-loop');
    await expect
      .poll(() => net.stats().connections, { timeout: 5000, message: 'relay 0 disconnected' })
      .toBe(2);
    net.setMode(0, 'normal');
    expect(net.publish([note(600), note(0)], [0])).toBe(2);
    await expect
      .poll(() => net.stats().connections, { timeout: 10_000, message: 'relay 0 reconnected' })
      .toBe(3);
    await net.waitForSubscribers(3, 10_000);
    await stream(1000);

    // A restart: the checkpoint is handed over through the cache; relay 1 gets a note backdated
    // five minutes while no collector runs.
    await first.started.stop();
    service = undefined;
    expect(net.publish([note(300)], [1])).toBe(1);
    const { ctx, started } = await start();
    await stream(1000);
    await new Promise((r) => setTimeout(r, 500));
    await started.stop();
    service = undefined;

    const delivered = net.truth();
    const emitted = net.truth({ scope: 'emitted' });
    // Nothing the relays hold was missed: every stored copy reached the collector...
    expect(delivered.relays[url0]?.valid).toBe(emitted.relays[url0]?.valid);
    expect(delivered.relays[url1]?.valid).toBe(emitted.relays[url1]?.valid);
    // ...and replays re-sent copies already counted (every frame over once per relay and id).
    expect(delivered.relays[url0]?.eventFrames).toBeGreaterThan(delivered.relays[url0]?.valid ?? 0);
    // Every figure equals the ground truth, which counts each relay's copy of an id once.
    expect(await dbFigures(ctx.dbs.reader)).toEqual(truthFigures(delivered, net.urls));
  });
});
