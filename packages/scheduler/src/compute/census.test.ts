import { describe, expect, it } from 'vitest';
import { type CensusRelay, censusSection } from './census.js';
import { placeFigures } from './census-places.js';
import { normaliseSoftware, softwareRows } from './census-software.js';

const base = { range: '24h' as const, computed_at: '2026-12-06T00:00:00.000Z' };

/** A relay seen serving, claiming nothing, with no address; fields overridden per case. */
function relay(url: string, o: Partial<CensusRelay> = {}): CensusRelay {
  return {
    url,
    software: null,
    version: null,
    supportedNips: null,
    authRequired: null,
    paymentRequired: null,
    restrictedWrites: null,
    nip11Served: false,
    status: 'online',
    connectedMs: 1000,
    restrictedMs: 0,
    eoseSamples: 0,
    authChallenged: false,
    addresses: [],
    ...o,
  };
}

const v4 = (country: string | null, asn: number | null, as_org: string | null = null) => ({
  family: 4 as const,
  country,
  asn,
  as_org,
});
const v6 = (country: string | null, asn: number | null, as_org: string | null = null) => ({
  family: 6 as const,
  country,
  asn,
  as_org,
});

describe('normaliseSoftware', () => {
  it('reduces repository URLs to the repository name and lower-cases names', () => {
    expect(normaliseSoftware('git+https://github.com/hoytech/strfry.git')).toBe('strfry');
    expect(normaliseSoftware('https://github.com/scsibug/nostr-rs-relay')).toBe('nostr-rs-relay');
    expect(normaliseSoftware('https://github.com/Cameri/nostream/')).toBe('nostream');
    expect(normaliseSoftware('git@github.com:fiatjaf/khatru.git')).toBe('khatru');
    expect(normaliseSoftware('  Strfry ')).toBe('strfry');
    expect(normaliseSoftware('')).toBeNull();
    expect(normaliseSoftware(null)).toBeNull();
  });
});

describe('softwareRows', () => {
  it('counts relays per software and per version, most first, unknown last', () => {
    const rows = softwareRows([
      { software: 'git+https://github.com/hoytech/strfry', version: '1.0.4' },
      { software: 'strfry', version: '1.0.4' },
      { software: 'https://github.com/hoytech/strfry.git', version: ' 0.9.6 ' },
      { software: 'nostr-rs-relay', version: '0.8.13' },
      { software: null, version: '1' },
      { software: 'nostr-rs-relay', version: null },
    ]);
    expect(rows).toEqual([
      {
        software: 'strfry',
        relays: 3,
        versions: [
          { version: '1.0.4', relays: 2 },
          { version: '0.9.6', relays: 1 },
        ],
      },
      {
        software: 'nostr-rs-relay',
        relays: 2,
        versions: [
          { version: '0.8.13', relays: 1 },
          { version: null, relays: 1 },
        ],
      },
      { software: null, relays: 1, versions: [{ version: '1', relays: 1 }] },
    ]);
  });
});

describe('censusSection', () => {
  it('builds the NIP matrix from claims and from what was observed', () => {
    const census = censusSection(base, [
      relay('wss://a.example', { supportedNips: [1, 11, 42, 50], nip11Served: true, eoseSamples: 3 }),
      relay('wss://b.example', { supportedNips: [1, 1, 50], connectedMs: 0, authChallenged: true }),
      relay('wss://c.example', { supportedNips: null, nip11Served: false }),
    ]);
    expect(census.relays).toBe(3);
    expect(census.nips).toEqual([
      { nip: 1, claimed: 2, observed: 2 },
      { nip: 11, claimed: 1, observed: 1 },
      { nip: 15, claimed: 0, observed: 1 },
      { nip: 42, claimed: 1, observed: 1 },
      { nip: 50, claimed: 2, observed: null },
    ]);
  });

  it('counts requirements claimed in NIP-11 and observed', () => {
    const census = censusSection(base, [
      relay('wss://a.example', { authRequired: true, status: 'auth_required', restrictedMs: 500 }),
      relay('wss://b.example', { authRequired: true, paymentRequired: false }),
      relay('wss://c.example', { paymentRequired: true, status: 'payment_required', restrictedMs: 10 }),
      relay('wss://d.example', { restrictedWrites: true }),
      relay('wss://e.example', { restrictedMs: 20 }),
    ]);
    expect(census.requirements).toEqual({
      auth_required: { claimed: 2, observed: 1 },
      payment_required: { claimed: 1, observed: 1 },
      restricted_writes: { claimed: 1 },
      restricted: { claimed: 4, observed: 3 },
    });
  });
});

describe('placeFigures', () => {
  it('counts networks, address families, countries, ASNs and the top-3 concentration', () => {
    const places = placeFigures([
      relay('wss://a.example', { addresses: [v4('DE', 24940, 'Hetzner Online GmbH'), v6('DE', 24940)] }),
      relay('wss://b.example', { addresses: [v4('DE', 24940, 'Hetzner Online GmbH')] }),
      relay('wss://c.example', {
        addresses: [v4('US', 13335, 'Cloudflare, Inc.'), v4('FR', 16276, 'OVH SAS')],
      }),
      relay('wss://d.example', { addresses: [v6('FI', 24940, 'Hetzner Online GmbH')] }),
      relay('wss://e.example', { addresses: [v4('JP', 2516, 'KDDI')] }),
      relay('wss://f.example', { addresses: [v4(null, null)] }),
      relay('wss://g.example'),
      relay('ws://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion'),
      relay('wss://relay.i2p'),
    ]);
    expect(places.networks).toEqual({ clearnet: 7, tor: 1, i2p: 1 });
    expect(places.ip_families).toEqual({ ipv4_only: 4, ipv6_only: 1, dual_stack: 1, unresolved: 1 });
    // DE 2; FI, FR, JP, US 1 each (ties in code order): the top 3 are DE, FI, FR.
    expect(places.countries).toEqual([
      { country: 'DE', relays: 2 },
      { country: 'FI', relays: 1 },
      { country: 'FR', relays: 1 },
      { country: 'JP', relays: 1 },
      { country: 'US', relays: 1 },
    ]);
    expect(places.asns).toEqual([
      { asn: 24940, as_org: 'Hetzner Online GmbH', relays: 3 },
      { asn: 2516, as_org: 'KDDI', relays: 1 },
      { asn: 13335, as_org: 'Cloudflare, Inc.', relays: 1 },
      { asn: 16276, as_org: 'OVH SAS', relays: 1 },
    ]);
    // Located: a, b, c, d, e (f has an address no database places). Top-3 countries hold a, b,
    // c (FR), d (FI): 4 of 5. Top-3 ASNs (24940, 2516, 13335) hold a, b, c, d, e: 5 of 5.
    expect(places.concentration).toEqual({
      located_by_country: 5,
      top3_countries_pct: 80,
      located_by_asn: 5,
      top3_asns_pct: 100,
    });
  });

  it('has no concentration when nothing is located', () => {
    const places = placeFigures([relay('wss://a.example')]);
    expect(places.concentration).toEqual({
      located_by_country: 0,
      top3_countries_pct: null,
      located_by_asn: 0,
      top3_asns_pct: null,
    });
    expect(places.countries).toEqual([]);
  });
});
