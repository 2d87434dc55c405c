import {
  generatePopulation,
  type Population,
  publishPopulation,
  type Signer,
  type SimNetwork,
  startSimNetwork,
  wasmSigner,
} from '@nostr-info/relay-sim';
import type { FullSnapshot } from '@nostr-info/shared/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import { createWorld, type TestWorld } from './helpers/context.js';
import { schedulerSnapshot } from './helpers/snapshot.js';

// The sybil check of the web of trust, end to end: a simulated network carries 2,000 organic users
// and 5,000 bot keys in five farms (cliques that follow each other and popular organic users, with
// profiles, notes and reactions, and a few organic users who follow a bot back); the collector
// stores what it receives, the scheduler computes the trust from the stored follow graph and then a
// snapshot. The simulator's labels are the ground truth.

const ORGANIC = 2000;
const BOTS = 5000;
/** The threshold rule of docs/methodology.md (web of trust): 1 / (100 × the people expected). */
const MIN_SCORE = 1 / (100 * ORGANIC);
/** The events' created_at spread, after the moment they are signed. */
const SPAN_SECONDS = 600;

describe('the web of trust against a sybil farm (2,000 organic users, 5,000 bot keys)', () => {
  let world: TestWorld;
  let net: SimNetwork;
  let pop: Population;
  let service: CollectorService | undefined;
  let snapshot: FullSnapshot;
  let trusted: Set<string>;

  let signer: Signer;

  beforeAll(async () => {
    signer = await wasmSigner();
    world = await createWorld('sybil_farm');
    net = await startSimNetwork({
      relays: 3,
      corpusSize: 10,
      autoStart: false,
      signer,
      seed: 'collector-sybil',
    });
  });
  afterAll(async () => {
    await service?.stop();
    await net?.stop();
    await world?.drop();
  });

  it('collects every follow list and author of the population', async () => {
    const ctx = await world.context({
      RELAYS: net.urls.join(','),
      FLUSH_MAX_EVENTS: '2000',
      LOG_LEVEL: 'warn',
    });
    service = await startCollector(ctx, { nip11: false });
    await net.waitForSubscribers(net.urls.length, 15_000);
    // Dated after the subscriptions' `since` (an older event sent live is off-filter and not counted)
    // and less than the collector's 15 minutes ahead of the clock (later is `future`).
    const since = Math.floor(Date.now() / 1000) + 1;
    const t0 = performance.now();
    pop = generatePopulation({
      signer,
      seed: 'collector-sybil',
      organic: ORGANIC,
      botKeys: BOTS,
      relays: 3,
      now: since + SPAN_SECONDS,
      spanSeconds: SPAN_SECONDS,
    });
    const t1 = performance.now();
    publishPopulation(net, pop);
    // On a loaded machine the collector takes minutes to verify 42,000 events; the relays wait.
    await net.drain(1_200_000);
    const t2 = performance.now();
    const authors = new Set(pop.events.map((e) => e.pubkey)).size;
    const { reader } = world.db.dbs;
    const count = async (table: 'follow_lists' | 'pubkeys') =>
      Number(
        (
          await reader
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    await expect
      .poll(async () => [await count('follow_lists'), await count('pubkeys')], {
        timeout: 1_200_000,
        interval: 1000,
      })
      .toEqual([pop.truth.eventsByKind[3], authors]);
    const t3 = performance.now();
    await service.stop();
    service = undefined;
    console.info(
      `sybil check: signed in ${Math.round(t1 - t0)} ms, published in ${Math.round(t2 - t1)} ms, stored in ${Math.round(t3 - t2)} ms`,
    );

    snapshot = await schedulerSnapshot(world, '24h', {
      env: { TRUST_SEEDS: pop.truth.seeds.join(','), TRUST_MIN_SCORE: String(MIN_SCORE) },
      runs: 2,
    });
    const rows = await reader.selectFrom('trusted_pubkeys').select('pubkey').execute();
    trusted = new Set(rows.map((r) => r.pubkey));
  }, 2_400_000);

  it('trusts at least 95 % of the organic users with a profile and a follow list, at most 1 % of the bots', () => {
    const { accounts } = pop.truth;
    const profiledOrganic = Object.entries(accounts).filter(
      ([, a]) => a.label === 'organic' && a.hasProfile && a.hasFollowList,
    );
    expect(profiledOrganic).toHaveLength(pop.truth.profiledOrganic);
    const organicShare = profiledOrganic.filter(([p]) => trusted.has(p)).length / profiledOrganic.length;
    const bots = pop.truth.farms.flat();
    expect(bots).toHaveLength(BOTS);
    const botShare = bots.filter((p) => trusted.has(p)).length / bots.length;
    console.info(`sybil check: organic trusted ${organicShare}, bots trusted ${botShare}`);
    expect(organicShare).toBeGreaterThanOrEqual(0.95);
    expect(botShare).toBeLessThanOrEqual(0.01);
    // Every trusted key is one the population names.
    for (const p of trusted) expect(accounts[p]).toBeDefined();
  });

  it('gives tier figures that equal the labels: keys and profiled exactly, trusted within the bounds', () => {
    const { accounts } = pop.truth;
    const authors = new Set(pop.events.map((e) => e.pubkey));
    const organicAuthors = [...authors].filter((p) => accounts[p]?.label === 'organic');
    const trustedAuthors = [...authors].filter((p) => trusted.has(p));
    const tiers = snapshot.overview.user_tiers;
    expect(tiers.active.keys).toBe(authors.size);
    expect(tiers.active.profiled).toBe(pop.truth.profiledOrganic + pop.truth.profiledBots);
    expect(tiers.active.trusted).toBe(trustedAuthors.length);
    // A fresh install with no backfill: the range starts before collection did, so new users are
    // not known (null, warming up) rather than equal to the active ones.
    expect(snapshot.coverage.new_users_status).toBe('warming_up');
    expect(tiers.new).toEqual({ keys: null, profiled: null, trusted: null });
    expect(tiers.active.trusted).toBeGreaterThanOrEqual(0.95 * pop.truth.profiledOrganic);
    expect(tiers.active.trusted).toBeLessThanOrEqual(organicAuthors.length + 0.01 * BOTS);
    expect(snapshot.overview.users.active).toBe(authors.size);
  });
});
