import { createLogger } from '@nostr-info/shared/log';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressBook, MAX_ADDRESSES, type ResolveOutcome } from '../src/census/address-book.js';
import { bundledGeoDbPaths, type GeoDb, sharedGeoDb } from '../src/census/geo-db.js';
import type { ResolvedAddress } from '../src/census/host-resolver.js';
import { seedRelays } from '../src/store/relays-repo.js';
import { createWorld, type TestWorld } from './helpers/context.js';

// Where relays run, on the real database and the IP databases the collector ships. The expected
// places are public facts about the addresses (who holds them and where), not read from the
// databases: Google's public resolver, Hetzner in Germany, the UK ISP Andrews & Arnold.
const KNOWN: Record<string, { country: string; asn: number; org: RegExp }> = {
  '8.8.8.8': { country: 'US', asn: 15169, org: /google/i },
  '94.130.0.1': { country: 'DE', asn: 24940, org: /hetzner/i },
  '2a01:4f8::1': { country: 'DE', asn: 24940, org: /hetzner/i },
  '81.2.69.160': { country: 'GB', asn: 20712, org: /andrews/i },
};

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });
const v6 = (address: string): ResolvedAddress => ({ address, family: 6 });

describe('relay addresses for the census', () => {
  let world: TestWorld;
  let geo: GeoDb;

  beforeAll(async () => {
    world = await createWorld('census_addresses');
    geo = await sharedGeoDb(bundledGeoDbPaths());
  }, 120_000);
  afterAll(async () => {
    await world?.drop();
  });

  it('locates well-known addresses in the bundled databases, and no private one', () => {
    for (const [address, known] of Object.entries(KNOWN)) {
      const place = geo.locate(address);
      expect(place, address).toMatchObject({ country: known.country, asn: known.asn });
      expect(place.asOrg, address).toMatch(known.org);
    }
    expect(geo.locate('10.1.2.3')).toEqual({ country: null, asn: null, asOrg: null });
    expect(geo.locate('::1')).toEqual({ country: null, asn: null, asOrg: null });
  });

  it('stores each relay’s addresses located, keeps them through a failed resolution, never resolves .onion', async () => {
    const ctx = await world.context({});
    const db = ctx.dbs.writer;
    const urls = {
      dual: 'wss://dual.census.test',
      google: 'wss://google.census.test',
      private: 'wss://private.census.test',
      many: 'wss://many.census.test',
      onion: 'ws://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion',
    };
    await seedRelays(db, Object.values(urls));
    const ids = new Map(
      (await db.selectFrom('relays').select(['id', 'url']).execute()).map((r) => [r.url, r.id] as const),
    );
    const relay = (url: string) => ({ id: ids.get(url) ?? -1, url });

    const answers = new Map<string, ResolvedAddress[] | Error>([
      ['dual.census.test', [v4('94.130.0.1'), v6('2a01:4f8::1'), v4('94.130.0.1')]],
      ['google.census.test', [v4('8.8.8.8')]],
      ['private.census.test', [v4('10.0.0.5')]],
      ['many.census.test', Array.from({ length: 40 }, (_, i) => v4(`10.0.1.${i + 1}`))],
    ]);
    const asked: string[] = [];
    const outcomes: ResolveOutcome[] = [];
    const book = new AddressBook({
      db,
      logger: createLogger({ level: 'silent' }),
      paths: bundledGeoDbPaths(),
      resolve: async (host) => {
        asked.push(host);
        const answer = answers.get(host);
        if (answer === undefined || answer instanceof Error) throw answer ?? new Error(`ENOTFOUND ${host}`);
        return answer;
      },
      onOutcome: (o) => outcomes.push(o),
    });
    const stored = async (url: string) =>
      db
        .selectFrom('relay_addresses')
        .select(['address', 'family', 'country', 'asn'])
        .where('relay_id', '=', ids.get(url) ?? -1)
        .orderBy('address')
        .execute();

    expect(await Promise.all(Object.values(urls).map((u) => book.resolveNow(relay(u))))).toEqual([
      'resolved',
      'resolved',
      'resolved',
      'resolved',
      'overlay',
    ]);
    expect(outcomes).toHaveLength(5);
    expect(asked.some((h) => h.endsWith('.onion'))).toBe(false);
    expect(await stored(urls.dual)).toEqual([
      { address: '2a01:4f8::1', family: 6, country: 'DE', asn: 24940 },
      { address: '94.130.0.1', family: 4, country: 'DE', asn: 24940 },
    ]);
    expect(await stored(urls.google)).toEqual([{ address: '8.8.8.8', family: 4, country: 'US', asn: 15169 }]);
    expect(await stored(urls.private)).toEqual([
      { address: '10.0.0.5', family: 4, country: null, asn: null },
    ]);
    expect(await stored(urls.many)).toHaveLength(MAX_ADDRESSES);
    expect(await stored(urls.onion)).toEqual([]);

    // A name that stops resolving keeps its last addresses; one that resolves elsewhere is replaced.
    answers.set('google.census.test', new Error('ENOTFOUND google.census.test'));
    answers.set('dual.census.test', [v4('81.2.69.160')]);
    expect(await book.resolveNow(relay(urls.google))).toBe('failed');
    expect(await book.resolveNow(relay(urls.dual))).toBe('resolved');
    expect(await stored(urls.google)).toEqual([{ address: '8.8.8.8', family: 4, country: 'US', asn: 15169 }]);
    expect(await stored(urls.dual)).toEqual([
      { address: '81.2.69.160', family: 4, country: 'GB', asn: 20712 },
    ]);
  });
});
