import { relayNetwork } from '@nostr-info/shared/relay';
import type { CensusSection } from '@nostr-info/shared/stats';
import { ranked } from './census-software.js';
import { percent } from './numbers.js';

/** One stored address of a relay and where the offline databases place it. */
export interface CensusAddress {
  family: 4 | 6;
  country: string | null;
  asn: number | null;
  as_org: string | null;
}

/** How many of the biggest places the concentration figures add up. */
export const CONCENTRATION_TOP = 3;

type Places = Pick<CensusSection, 'networks' | 'ip_families' | 'countries' | 'asns' | 'concentration'>;

/** Share of the located relays with a place among the `CONCENTRATION_TOP` biggest; null when none located. */
function topShare<K>(placesOf: readonly Set<K>[], top: readonly K[]): number | null {
  const located = placesOf.filter((p) => p.size > 0);
  if (located.length === 0) return null;
  return percent(located.filter((p) => top.some((k) => p.has(k))).length, located.length);
}

/**
 * Where the relays run: their networks (from the URL host), the address families of clearnet
 * relays, relays per country and per ASN (a relay counts once in each place it has an address
 * in), and the share of located relays in the 3 biggest countries and ASNs.
 */
export function placeFigures(
  relays: readonly { url: string; addresses: readonly CensusAddress[] }[],
): Places {
  const networks = { clearnet: 0, tor: 0, i2p: 0 };
  const families = { ipv4_only: 0, ipv6_only: 0, dual_stack: 0, unresolved: 0 };
  const countriesOf: Set<string>[] = [];
  const asnsOf: Set<number>[] = [];
  const asOrg = new Map<number, string | null>();
  for (const r of relays) {
    const network = relayNetwork(r.url);
    networks[network]++;
    if (network !== 'clearnet') continue;
    const v4 = r.addresses.some((a) => a.family === 4);
    const v6 = r.addresses.some((a) => a.family === 6);
    if (v4 && v6) families.dual_stack++;
    else if (v4) families.ipv4_only++;
    else if (v6) families.ipv6_only++;
    else families.unresolved++;
    countriesOf.push(new Set(r.addresses.flatMap((a) => (a.country ? [a.country] : []))));
    asnsOf.push(new Set(r.addresses.flatMap((a) => (a.asn === null ? [] : [a.asn]))));
    for (const a of r.addresses) if (a.asn !== null && !asOrg.get(a.asn)) asOrg.set(a.asn, a.as_org);
  }
  const tally = <K>(sets: Set<K>[]) => {
    const counts = new Map<K, number>();
    for (const s of sets) for (const k of s) counts.set(k, (counts.get(k) ?? 0) + 1);
    return counts;
  };
  const countries = ranked(tally(countriesOf));
  const asns = ranked(tally(asnsOf));
  const top = <K>(rows: { key: K }[]) => rows.slice(0, CONCENTRATION_TOP).map((r) => r.key);
  return {
    networks,
    ip_families: families,
    countries: countries.map((c) => ({ country: c.key, relays: c.relays })),
    asns: asns.map((a) => ({ asn: a.key, as_org: asOrg.get(a.key) ?? null, relays: a.relays })),
    concentration: {
      located_by_country: countriesOf.filter((s) => s.size > 0).length,
      top3_countries_pct: topShare(countriesOf, top(countries)),
      located_by_asn: asnsOf.filter((s) => s.size > 0).length,
      top3_asns_pct: topShare(asnsOf, top(asns)),
    },
  };
}
