import type { RelayStatus } from '@nostr-info/shared/relay';
import { type CensusSection, OBSERVABLE_NIPS } from '@nostr-info/shared/stats';
import { type CensusAddress, placeFigures } from './census-places.js';
import { softwareRows } from './census-software.js';

/** Everything the census knows of one relay of the range. */
export interface CensusRelay {
  url: string;
  software: string | null;
  version: string | null;
  supportedNips: readonly number[] | null;
  /** NIP-11 `limitation` claims (null: not stated). */
  authRequired: boolean | null;
  paymentRequired: boolean | null;
  restrictedWrites: boolean | null;
  /** Its NIP-11 document was fetched and read at the last try. */
  nip11Served: boolean;
  /** Status now (as in the relays section). */
  status: RelayStatus;
  /** Time in range it served the subscription, refused to serve, and REQ → EOSE latencies measured. */
  connectedMs: number;
  restrictedMs: number;
  eoseSamples: number;
  /** It sent a NIP-42 AUTH challenge in range (as far as the relay logs reach back). */
  authChallenged: boolean;
  addresses: readonly CensusAddress[];
}

/** Attribution the licences of the bundled IP databases ask for (CC BY 4.0). */
export const GEOIP_SOURCES =
  'IP geolocation by DB-IP (https://db-ip.com, CC BY 4.0); ASNs by RouteViews, the five RIRs (NRO) ' +
  'and DB-IP (CC BY 4.0), via ip-location-db';

/** How the collector tells each observable NIP from behaviour (docs/methodology.md). */
const OBSERVED: Record<(typeof OBSERVABLE_NIPS)[number], (r: CensusRelay) => boolean> = {
  1: (r) => r.connectedMs > 0,
  11: (r) => r.nip11Served,
  15: (r) => r.eoseSamples > 0,
  42: (r) => r.authChallenged,
};

/** Per NIP claimed by any relay or observable: relays claiming it, and relays seen using it. */
function nipMatrix(relays: readonly CensusRelay[]): CensusSection['nips'] {
  const claimed = new Map<number, number>();
  for (const r of relays)
    for (const nip of new Set(r.supportedNips ?? [])) claimed.set(nip, (claimed.get(nip) ?? 0) + 1);
  const nips = new Set<number>([...claimed.keys(), ...OBSERVABLE_NIPS]);
  return [...nips]
    .sort((a, b) => a - b)
    .map((nip) => {
      const test = OBSERVED[nip as keyof typeof OBSERVED] as ((r: CensusRelay) => boolean) | undefined;
      return { nip, claimed: claimed.get(nip) ?? 0, observed: test ? relays.filter(test).length : null };
    });
}

/** What relays claim to require, and what they were seen requiring. */
function requirements(relays: readonly CensusRelay[]): CensusSection['requirements'] {
  const n = (test: (r: CensusRelay) => boolean) => relays.filter(test).length;
  return {
    auth_required: {
      claimed: n((r) => r.authRequired === true),
      observed: n((r) => r.status === 'auth_required'),
    },
    payment_required: {
      claimed: n((r) => r.paymentRequired === true),
      observed: n((r) => r.status === 'payment_required'),
    },
    restricted_writes: { claimed: n((r) => r.restrictedWrites === true) },
    restricted: {
      claimed: n((r) => r.authRequired === true || r.paymentRequired === true || r.restrictedWrites === true),
      observed: n((r) => r.restrictedMs > 0),
    },
  };
}

/** The census section over the relays of the range (see `censusRelays` for which those are). */
export function censusSection(
  base: { range: CensusSection['range']; computed_at: string },
  relays: readonly CensusRelay[],
): CensusSection {
  return {
    ...base,
    relays: relays.length,
    software: softwareRows(relays),
    nips: nipMatrix(relays),
    requirements: requirements(relays),
    ...placeFigures(relays),
    sources: GEOIP_SOURCES,
  };
}
