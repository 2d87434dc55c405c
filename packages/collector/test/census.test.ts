import { type Nip11Identity, type RelayMode, type SimNetwork, startSimNetwork } from '@nostr-info/relay-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedAddress } from '../src/census/host-resolver.js';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import { createWorld, type TestWorld } from './helpers/context.js';
import { schedulerSnapshot } from './helpers/snapshot.js';

// The census end to end: simulated relays, each on its own loopback address, serve NIP-11
// documents naming known software, versions and NIPs; a test resolver maps each relay's host to
// public addresses whose country and AS are public facts (Hetzner in Germany, Google in the US,
// Andrews & Arnold in the UK). The collector resolves and locates them with the databases it
// ships, the scheduler computes the snapshot, and its census equals the simulator's truth.

interface SimRelaySpec {
  host: string;
  mode: RelayMode;
  nip11: Nip11Identity;
  /** What the test resolver answers for the host (an Error: the name does not resolve). */
  resolves: ResolvedAddress[] | Error;
}

const HETZNER_V4 = { address: '94.130.0.1', family: 4 } as const;
const HETZNER_V6 = { address: '2a01:4f8::1', family: 6 } as const;
const GOOGLE = { address: '8.8.8.8', family: 4 } as const;
const AAISP = { address: '81.2.69.160', family: 4 } as const;

const SPECS: SimRelaySpec[] = [
  {
    host: '127.0.0.1',
    mode: 'normal',
    nip11: {
      software: 'git+https://github.com/hoytech/strfry.git',
      version: '1.0.4',
      supportedNips: [1, 11, 42, 50],
    },
    resolves: [HETZNER_V4, HETZNER_V6],
  },
  {
    host: '127.0.0.2',
    mode: 'normal',
    nip11: { software: 'strfry', version: '1.0.4', supportedNips: [1, 11, 50] },
    resolves: [HETZNER_V6],
  },
  {
    host: '127.0.0.3',
    mode: 'normal',
    nip11: {
      software: 'https://github.com/scsibug/nostr-rs-relay',
      version: '0.9.0',
      supportedNips: [1, 11],
    },
    resolves: [GOOGLE],
  },
  {
    host: '127.0.0.4',
    mode: 'normal',
    nip11: { software: 'khatru', version: null, supportedNips: [1], restrictedWrites: true },
    resolves: [AAISP],
  },
  {
    host: '127.0.0.5',
    mode: 'auth-required',
    nip11: { software: 'nostream', version: '2.0.0', supportedNips: [1, 11, 42] },
    resolves: [GOOGLE, HETZNER_V6],
  },
  { host: '127.0.0.6', mode: 'no-nip11', nip11: {}, resolves: new Error('ENOTFOUND') },
];
/** A watched relay on Tor: never reached here, never resolved, counted as `tor`. */
const ONION = 'ws://censustestabcdefghijklmnopqrstuvwxyz234567abcdefghijklmno.onion';

describe('network census', () => {
  let world: TestWorld;
  let net: SimNetwork;
  let service: CollectorService | undefined;

  beforeAll(async () => {
    world = await createWorld('census');
    net = await startSimNetwork({
      relays: SPECS.length,
      hosts: SPECS.map((s) => s.host),
      modes: SPECS.map((s) => s.mode),
      nip11: SPECS.map((s) => s.nip11),
      seed: 'collector-census',
      rate: 50,
      corpusSize: 300,
      copies: 3,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await net?.stop();
    await world?.drop();
  });

  it('counts the software, NIPs, requirements and places the simulator and resolver give', async () => {
    const ctx = await world.context({ RELAYS: [...net.urls, ONION].join(',') });
    const resolved = new Map(SPECS.map((s) => [s.host, s.resolves]));
    const asked: string[] = [];
    service = await startCollector(ctx, {
      connection: { pingIntervalMs: 1000, answerTimeoutMs: 1500, backoffInitialMs: 200, backoffMaxMs: 1000 },
      // Statuses count once a report says the relay is held (the scheduler shows `unknown` before).
      heldReportMs: 500,
      resolveHost: async (host) => {
        asked.push(host);
        const answer = resolved.get(host);
        if (answer === undefined || answer instanceof Error) throw answer ?? new Error(`ENOTFOUND ${host}`);
        return answer;
      },
    });
    const db = ctx.dbs.writer;
    // Every NIP-11 fetch tried (one relay serves none, the onion is unreachable) and every
    // resolvable host stored.
    await expect
      .poll(
        async () => {
          const fetched = await db
            .selectFrom('relays')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('nip11_fetched_at', 'is not', null)
            .executeTakeFirstOrThrow();
          const located = await db
            .selectFrom('relay_addresses')
            .select((eb) => eb.fn.count<number>('relay_id').distinct().as('n'))
            .executeTakeFirstOrThrow();
          return [Number(fetched.n), Number(located.n)];
        },
        { timeout: 60_000, interval: 250 },
      )
      .toEqual([SPECS.length + 1, SPECS.length - 1]);
    expect(asked.some((host) => host.endsWith('.onion'))).toBe(false);
    await net.waitForSubscribers(SPECS.length - 1, 15_000);
    // The relay wanting authentication has been seen refusing, and reported held (its status as
    // the scheduler shows it is what `observed` counts).
    await expect
      .poll(
        async () => {
          const row = await db
            .selectFrom('relays')
            .select(['status', 'held_at'])
            .where('url', '=', net.urls[4] ?? '')
            .executeTakeFirst();
          return row?.held_at ? row.status : undefined;
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe('auth_required');
    await service.stop();
    service = undefined;
    expect(net.truth().relays[net.urls[4] ?? '']?.authChallenges).toBeGreaterThan(0);

    const census = (await schedulerSnapshot(world, '24h')).census;
    expect(census.relays).toBe(SPECS.length + 1);
    expect(census.software).toEqual([
      { software: 'strfry', relays: 2, versions: [{ version: '1.0.4', relays: 2 }] },
      // The relay without a NIP-11 document and the unreachable onion relay.
      { software: null, relays: 2, versions: [{ version: null, relays: 2 }] },
      { software: 'khatru', relays: 1, versions: [{ version: null, relays: 1 }] },
      { software: 'nostr-rs-relay', relays: 1, versions: [{ version: '0.9.0', relays: 1 }] },
      { software: 'nostream', relays: 1, versions: [{ version: '2.0.0', relays: 1 }] },
    ]);
    expect(census.nips).toEqual([
      // Served the subscription: all but the relay that wants authentication.
      { nip: 1, claimed: 5, observed: 5 },
      // Served a NIP-11 document: all but the one answering 404.
      { nip: 11, claimed: 4, observed: 5 },
      // Answered a REQ with EOSE: the five that serve.
      { nip: 15, claimed: 0, observed: 5 },
      // Sent an AUTH challenge: the relay in `auth-required` mode.
      { nip: 42, claimed: 2, observed: 1 },
      { nip: 50, claimed: 2, observed: null },
    ]);
    expect(census.requirements).toEqual({
      auth_required: { claimed: 1, observed: 1 },
      payment_required: { claimed: 0, observed: 0 },
      restricted_writes: { claimed: 1 },
      restricted: { claimed: 2, observed: 1 },
    });
    expect(census.networks).toEqual({ clearnet: 6, tor: 1, i2p: 0 });
    expect(census.ip_families).toEqual({ ipv4_only: 2, ipv6_only: 1, dual_stack: 2, unresolved: 1 });
    // DE: relays 0, 1, 4 (Hetzner); US: 2, 4 (Google); GB: 3.
    expect(census.countries).toEqual([
      { country: 'DE', relays: 3 },
      { country: 'US', relays: 2 },
      { country: 'GB', relays: 1 },
    ]);
    expect(census.asns.map(({ asn, relays }) => ({ asn, relays }))).toEqual([
      { asn: 24940, relays: 3 },
      { asn: 15169, relays: 2 },
      { asn: 20712, relays: 1 },
    ]);
    expect(census.asns[0]?.as_org).toMatch(/hetzner/i);
    expect(census.concentration).toEqual({
      located_by_country: 5,
      top3_countries_pct: 100,
      located_by_asn: 5,
      top3_asns_pct: 100,
    });
    expect(census.sources).toMatch(/DB-IP/);
  }, 180_000);
});
