import { type RelayMode, type SimNetwork, startSimNetwork } from '@nostr-info/relay-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import { dbFigures, truthFigures } from './helpers/compare.js';
import { createWorld, type TestWorld } from './helpers/context.js';

// Every misbehaving relay mode at once, next to normal relays: the collector stays up, memory
// stays bounded, misbehaviour is classified, and every relay's counts still equal what it
// actually delivered (resumes after disconnects neither miss nor double count).

const MODES: RelayMode[] = [
  'garbage',
  'oversized',
  'flood',
  'stall',
  'disconnect-loop',
  'auth-required',
  'closed',
  'slow-eose',
  'no-nip11',
  'bad-nip11',
  'normal',
  'normal',
  'normal',
];

describe('misbehaving relays', () => {
  let world: TestWorld;
  let net: SimNetwork;
  let service: CollectorService | undefined;

  beforeAll(async () => {
    world = await createWorld('faults');
    net = await startSimNetwork({
      relays: MODES.length,
      modes: MODES,
      seed: 'collector-faults',
      rate: 150,
      corpusSize: 2000,
      copies: 4,
      autoStart: false,
      closedAfterMs: 1000,
      disconnectAfterMs: 1500,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await net?.stop();
    await world?.drop();
  });

  it('stays up with bounded memory and exact counts', async () => {
    const ctx = await world.context({ RELAYS: net.urls.join(',') });
    service = await startCollector(ctx, {
      connection: { pingIntervalMs: 1000, backoffInitialMs: 200, backoffMaxMs: 1000 },
    });
    const heapBefore = process.memoryUsage().heapUsed;
    net.resume();
    let peakHeap = 0;
    for (let i = 0; i < 14; i++) {
      await new Promise((r) => setTimeout(r, 500));
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
    net.pause();
    await net.drain();
    await new Promise((r) => setTimeout(r, 1000));
    expect(service.ownedRelays()).toHaveLength(MODES.length);
    await service.stop();
    service = undefined;

    // Memory: flood and oversized traffic must not pile up (sim and collector share this heap).
    expect(peakHeap - heapBefore).toBeLessThan(300 * 1024 * 1024);

    const truth = net.truth();
    const got = await dbFigures(ctx.dbs.reader);
    const want = truthFigures(truth, net.urls);
    expect(got).toEqual(want);

    const relays = await ctx.dbs.reader
      .selectFrom('relays')
      .select(['url', 'status', 'last_error_class', 'nip11_error', 'name'])
      .execute();
    const byMode = (mode: RelayMode) => relays.find((r) => r.url === net.urls[MODES.indexOf(mode)]);
    expect(byMode('auth-required')?.status).toBe('auth_required');
    expect(byMode('stall')?.last_error_class).toBe('stalled');
    expect(byMode('oversized')?.last_error_class).toBe('message-too-big');
    expect(byMode('no-nip11')?.nip11_error).toMatch(/404/);
    expect(byMode('bad-nip11')?.nip11_error).toMatch(/JSON/);
    expect(byMode('normal')?.name).not.toBeNull();
    const closedLogs = await ctx.dbs.reader
      .selectFrom('relay_logs')
      .select(['event', 'class'])
      .where('relay_id', '=', (await relayId(ctx, net.urls[MODES.indexOf('closed')] ?? '')) ?? -1)
      .where('event', '=', 'closed')
      .execute();
    // Closed unprompted more than once, i.e. re-subscribed after each CLOSED.
    expect(closedLogs.length).toBeGreaterThan(1);
    expect(closedLogs[0]?.class).toBe('rate-limited');
  });
});

async function relayId(
  ctx: Awaited<ReturnType<TestWorld['context']>>,
  url: string,
): Promise<number | undefined> {
  const row = await ctx.dbs.reader
    .selectFrom('relays')
    .select('id')
    .where('url', '=', url)
    .executeTakeFirst();
  return row?.id;
}
