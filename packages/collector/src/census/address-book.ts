import type { Database } from '@nostr-info/shared/db';
import type { Logger } from '@nostr-info/shared/log';
import { isPrivateHost, relayNetwork } from '@nostr-info/shared/relay';
import type { Kysely } from 'kysely';
import { type LocatedAddress, saveRelayAddresses } from './address-store.js';
import { type GeoDb, type GeoDbPaths, sharedGeoDb } from './geo-db.js';
import { type HostResolver, resolvableHost, systemHostResolver } from './host-resolver.js';

/** Most addresses kept per relay: a name can resolve to any number, a census needs a few. */
export const MAX_ADDRESSES = 32;

/** What one resolution did: stored the addresses, skipped an overlay host, or failed (stored set kept). */
export type ResolveOutcome = 'resolved' | 'overlay' | 'failed';

/** A relay to resolve. */
export interface AddressedRelay {
  id: number;
  url: string;
}

export interface AddressBookOptions {
  db: Kysely<Database>;
  logger: Logger;
  /** The offline databases' files (see `bundledGeoDbPaths`). */
  paths: GeoDbPaths;
  resolve?: HostResolver;
  /** Opens the databases (default: once per process and set of files). */
  openDb?: (paths: GeoDbPaths) => Promise<GeoDb>;
  /** Called with each outcome (metrics). */
  onOutcome?: (outcome: ResolveOutcome) => void;
}

/** No location: the address is private, or the databases could not be opened. */
const NOWHERE = { country: null, asn: null, asOrg: null };

/**
 * Keeps `relay_addresses` current for the relays this replica holds: a relay's host is resolved
 * (both families) whenever its NIP-11 document is fetched, so on every reconnect and every
 * NIP11_REFRESH_SECONDS, and each address is located in the offline databases. `.onion` and
 * `.i2p` hosts are never resolved. A failed resolution keeps the stored set: a relay whose DNS
 * hiccups has not moved. The databases are opened only when a public address needs locating.
 */
export class AddressBook {
  private readonly inFlight = new Map<number, Promise<ResolveOutcome>>();
  private readonly db: Kysely<Database>;
  private readonly logger: Logger;
  private readonly paths: GeoDbPaths;
  private readonly resolve: HostResolver;
  private readonly openDb: (paths: GeoDbPaths) => Promise<GeoDb>;
  private readonly onOutcome: ((outcome: ResolveOutcome) => void) | undefined;
  private geoFailed = false;

  constructor({
    db,
    logger,
    paths,
    resolve = systemHostResolver,
    openDb = sharedGeoDb,
    onOutcome,
  }: AddressBookOptions) {
    this.db = db;
    this.logger = logger.child({ module: 'address-book' });
    this.paths = paths;
    this.resolve = resolve;
    this.openDb = openDb;
    this.onOutcome = onOutcome;
  }

  /** Resolves the relay's addresses in the background (one resolution per relay at a time). */
  refresh(relay: AddressedRelay): void {
    void this.resolveNow(relay);
  }

  /** Resolves, locates and stores the relay's addresses; never rejects. */
  resolveNow(relay: AddressedRelay): Promise<ResolveOutcome> {
    const running = this.inFlight.get(relay.id);
    if (running) return running;
    const work = this.run(relay)
      .catch((err: unknown) => {
        this.logger.warn({ err, relay: relay.url }, 'relay addresses not stored');
        return 'failed' as const;
      })
      .then((outcome) => {
        this.onOutcome?.(outcome);
        return outcome;
      })
      .finally(() => this.inFlight.delete(relay.id));
    this.inFlight.set(relay.id, work);
    return work;
  }

  /** Resolves once every resolution under way has finished (before the database is closed). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async run(relay: AddressedRelay): Promise<ResolveOutcome> {
    if (relayNetwork(relay.url) !== 'clearnet') return 'overlay';
    let found: Awaited<ReturnType<HostResolver>>;
    try {
      found = await this.resolve(resolvableHost(relay.url));
    } catch (err) {
      this.logger.info({ relay: relay.url, error: (err as Error).message }, 'relay host did not resolve');
      return 'failed';
    }
    const unique = [...new Map(found.map((a) => [a.address, a])).values()].slice(0, MAX_ADDRESSES);
    const geo = unique.some((a) => !isPrivateHost(a.address)) ? await this.geoDb() : undefined;
    const located: LocatedAddress[] = unique.map((a) => ({
      ...a,
      ...(geo && !isPrivateHost(a.address) ? geo.locate(a.address) : NOWHERE),
    }));
    await saveRelayAddresses(this.db, relay.id, located);
    return 'resolved';
  }

  /** The databases, or undefined when they cannot be opened (logged once; addresses stored unlocated). */
  private async geoDb(): Promise<GeoDb | undefined> {
    try {
      return await this.openDb(this.paths);
    } catch (err) {
      if (!this.geoFailed) this.logger.error({ err, paths: this.paths }, 'IP databases cannot be opened');
      this.geoFailed = true;
      return undefined;
    }
  }
}
