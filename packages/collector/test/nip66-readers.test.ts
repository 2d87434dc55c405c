import { type SimNetwork, startSimNetwork } from '@nostr-info/relay-sim';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { bytesToHex } from 'nostr-tools/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import { createWorld, type TestWorld } from './helpers/context.js';

// Other NIP-66 monitors' reports arrive on the watched relays: the latest of each monitor and
// relay is kept, a relay only they name becomes a discovery candidate, and reports that name no
// public ws(s) relay, or that this collector signed itself, are not kept.

describe("other monitors' reports", () => {
  let world: TestWorld;
  let net: SimNetwork;
  let service: CollectorService | undefined;

  beforeAll(async () => {
    world = await createWorld('nip66_readers');
    net = await startSimNetwork({
      relays: 2,
      seed: 'collector-nip66-readers',
      corpusSize: 20,
      autoStart: false,
    });
  });
  afterAll(async () => {
    await service?.stop();
    await net?.stop();
    await world?.drop();
  });

  it('keeps the newest report per monitor and relay, and discovers the relays they name', async () => {
    const own = generateSecretKey();
    const ctx = await world.context({
      RELAYS: net.urls.join(','),
      DISCOVERY_ENABLED: 'true',
      DISCOVERY_MAX_RELAYS: '0',
      // Our own monitor publishes nowhere that matters here; its key marks its own reports.
      MONITOR_SECRET_KEY: bytesToHex(own),
      MONITOR_PUBLISH_RELAYS: 'ws://127.0.0.1:9',
    });
    service = await startCollector(ctx, { nip11: false });
    await net.waitForSubscribers(2, 15_000);

    const [one, two] = [generateSecretKey(), generateSecretKey()];
    const now = Math.floor(Date.now() / 1000);
    const watched = net.urls[0] ?? '';
    const report = (sk: Uint8Array, d: string, createdAt: number, rtt: string) =>
      finalizeEvent(
        {
          kind: 30166,
          created_at: createdAt,
          tags: [
            ['d', d],
            ['rtt-open', rtt],
          ],
          content: '',
        },
        sk,
      );
    const events = [
      report(one, watched, now - 60, '300'),
      report(one, watched, now - 10, '250'), // newer: replaces the one above
      report(two, watched, now - 20, '400'),
      report(two, 'wss://elsewhere.example.com/', now - 20, '90'),
      report(two, 'ws://10.1.2.3', now - 20, '5'),
      report(two, 'not a url', now - 20, '5'),
      report(own, watched, now - 5, '1'),
    ];
    expect(net.publish(events, [0])).toBe(events.length);
    net.publish(events.slice(0, 3), [1]); // the same reports from a second relay change nothing

    const db = ctx.dbs.reader;
    const rows = () =>
      db
        .selectFrom('monitor_reports')
        .select(['monitor_pubkey', 'relay_url', 'rtt_open_ms', 'reported_at'])
        .orderBy('relay_url')
        .orderBy('rtt_open_ms')
        .execute();
    await expect.poll(async () => (await rows()).length, { timeout: 15_000 }).toBe(3);
    await service.stop();
    service = undefined;
    expect((await rows()).map((r) => [r.monitor_pubkey, r.relay_url, r.rtt_open_ms])).toEqual([
      [getPublicKey(one), watched, 250],
      [getPublicKey(two), watched, 400],
      [getPublicKey(two), 'wss://elsewhere.example.com', 90],
    ]);
    expect((await rows()).find((r) => r.rtt_open_ms === 250)?.reported_at.getTime()).toBe((now - 10) * 1000);

    const candidates = await db
      .selectFrom('relays')
      .select(['url', 'source', 'watched'])
      .where('source', '=', 'discovered')
      .execute();
    expect(candidates).toEqual([
      { url: 'wss://elsewhere.example.com', source: 'discovered', watched: false },
    ]);
  });
});
