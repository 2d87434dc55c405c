import { type RelayMode, type SimNetwork, startSimNetwork } from '@nostr-info/relay-sim';
import { createLogger } from '@nostr-info/shared/log';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import { createCollectorMetrics } from '../src/observe/metrics.js';
import { Reconciler } from '../src/shard/reconciler.js';
import { fixedReplicas } from '../src/shard/replica-count.js';
import { listCandidates } from '../src/store/relays-repo.js';
import { createWorld, type TestWorld } from './helpers/context.js';
import { streamFor } from './helpers/stream.js';

// Discovery that one key cannot game. Honest authors publish relay lists (kind 10002) and contact
// lists with relay maps (kind 3); one key publishes 1,000 versions of its relay list naming
// wss://evil.example. Candidates rank by the distinct authors whose latest lists name them, so
// evil.example ranks by its one author, below every relay that two or more authors name, and the
// admission cap goes to those.

const MODES: RelayMode[] = ['relay-list-spam', 'normal', 'normal', 'normal'];
const EVIL = 'wss://evil.example';

describe('discovery candidates by distinct authors', () => {
  let world: TestWorld;
  let net: SimNetwork;
  let service: CollectorService | undefined;

  beforeAll(async () => {
    world = await createWorld('discovery_authors');
    net = await startSimNetwork({
      relays: MODES.length,
      modes: MODES,
      seed: 'collector-discovery',
      rate: 200,
      corpusSize: 800,
      copies: 2,
      // Mostly relay lists and contact lists, republished by a few dozen authors.
      kinds: { 1: 0.3, 3: 0.2, 10002: 0.5 },
      authors: 120,
      autoStart: false,
      spamRelayUrl: EVIL,
      spamVersions: 1000,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await net?.stop();
    await world?.drop();
  });

  it('counts each author once, by its latest lists, and admits the most-named relays', async () => {
    // Discovery on, admission off while collecting: probes of made-up names would only fail.
    const ctx = await world.context({
      RELAYS: net.urls.join(','),
      DISCOVERY_ENABLED: 'true',
      DISCOVERY_MAX_RELAYS: '0',
    });
    service = await startCollector(ctx, { nip11: false });
    await net.waitForSubscribers(MODES.length, 15_000);
    await streamFor(net, 3000);
    await service.stop();
    service = undefined;

    const truth = net.truth();
    expect(truth.discoveryAuthors[EVIL]).toBe(1);
    const db = ctx.dbs.writer;
    const rows = await db
      .selectFrom('relays')
      .select(['id', 'url', 'discovery_authors', 'discovery_count'])
      .where('source', '=', 'discovered')
      .execute();
    // Every candidate's author count is exact (relays no latest list names any more have none).
    expect(
      Object.fromEntries(
        rows.filter((r) => r.discovery_authors > 0).map((r) => [r.url, r.discovery_authors]),
      ),
    ).toEqual(truth.discoveryAuthors);
    const evil = rows.find((r) => r.url === EVIL);
    // By events it would lead by far: every one of the 1,000 versions named it.
    expect(evil?.discovery_count).toBe(1000);
    expect(Math.max(...rows.filter((r) => r.url !== EVIL).map((r) => r.discovery_count))).toBeLessThan(1000);
    expect(evil?.discovery_authors).toBe(1);

    // Ranked by authors, evil.example comes after every relay two or more authors name.
    const named = Object.entries(truth.discoveryAuthors)
      .filter(([, n]) => n >= 2)
      .map(([u]) => u)
      .sort();
    expect(named.length).toBeGreaterThanOrEqual(3);
    const ranked = (await listCandidates(db, 1000)).map((c) => c.url);
    expect(ranked.slice(0, named.length).sort()).toEqual(named);
    expect(ranked.indexOf(EVIL)).toBeGreaterThanOrEqual(named.length);

    // Admission: the cap (as many as there are relays two authors name) and the probe stay; every
    // candidate answers the probe here, and the cap goes to the most-named.
    const reconciler = new Reconciler({
      db,
      ordinal: 0,
      replicas: fixedReplicas(1),
      connections: new Map(),
      createConnection: () => {
        throw new Error('no relay is opened here');
      },
      logger: createLogger({ level: 'silent', pretty: false }),
      metrics: createCollectorMetrics(new Registry()),
      nip11: false,
      discovery: { enabled: true, maxRelays: named.length },
      probe: async () => undefined,
      perTick: 200,
    });
    await reconciler.admitDiscovered();
    await reconciler.close();
    const admitted = await db
      .selectFrom('relays')
      .select('url')
      .where('source', '=', 'discovered')
      .where('watched', '=', true)
      .orderBy('url')
      .execute();
    expect(admitted.map((r) => r.url)).toEqual(named);
  });
});
