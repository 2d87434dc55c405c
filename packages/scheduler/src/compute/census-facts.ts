import type { Database } from '@nostr-info/shared/db';
import { currentRelayStatus } from '@nostr-info/shared/relay';
import type { Kysely } from 'kysely';
import type { CensusRelay } from './census.js';
import type { CensusAddress } from './census-places.js';
import type { RangeData } from './range-data.js';
import type { RangeWindow } from './range-window.js';
import type { RelayFacts } from './relay-facts.js';

/** What the census reads besides the relay facts and the range's health sums. */
export interface CensusFacts {
  /** Relays whose last NIP-11 fetch read a document. */
  nip11Served: ReadonlySet<number>;
  restrictedWrites: ReadonlyMap<number, boolean | null>;
  /** Relays that sent an AUTH challenge in the window. */
  authChallenged: ReadonlySet<number>;
  addresses: ReadonlyMap<number, CensusAddress[]>;
}

/**
 * Reads the census's own facts: NIP-11 state, stored addresses (a few per relay) and the relays
 * logged sending an AUTH challenge in the window (`relay_logs`, kept RELAY_LOG_RETENTION_DAYS).
 */
export async function readCensusFacts(db: Kysely<Database>, window: RangeWindow): Promise<CensusFacts> {
  const [relays, addresses, auth] = await Promise.all([
    db
      .selectFrom('relays')
      .select(['id', 'restricted_writes'])
      .select((eb) => eb.and([eb('nip11', 'is not', null), eb('nip11_error', 'is', null)]).as('nip11_served'))
      .execute(),
    db.selectFrom('relay_addresses').select(['relay_id', 'family', 'country', 'asn', 'as_org']).execute(),
    db
      .selectFrom('relay_logs')
      .select('relay_id')
      .distinct()
      .where('event', '=', 'auth')
      .$if(window.start !== null, (q) => q.where('at', '>=', window.start as Date))
      .where('at', '<=', window.now)
      .execute(),
  ]);
  const byRelay = new Map<number, CensusAddress[]>();
  for (const { relay_id, ...a } of addresses) {
    const list = byRelay.get(relay_id) ?? [];
    list.push({ ...a, asn: a.asn === null ? null : Number(a.asn) });
    byRelay.set(relay_id, list);
  }
  return {
    nip11Served: new Set(relays.filter((r) => r.nip11_served).map((r) => r.id)),
    restrictedWrites: new Map(relays.map((r) => [r.id, r.restricted_writes])),
    authChallenged: new Set(auth.map((r) => r.relay_id)),
    addresses: byRelay,
  };
}

/**
 * The relays the census counts: watched relays a collector observed in the range (observed time
 * in range > 0), each with its NIP-11 claims, what it was seen doing, and its addresses.
 */
export function censusRelays(
  relays: readonly RelayFacts[],
  data: RangeData,
  facts: CensusFacts,
  now: Date,
): CensusRelay[] {
  const health = new Map(data.relayHealth.map((h) => [h.relay_id, h]));
  return relays.flatMap((relay) => {
    const h = health.get(relay.id);
    if (!relay.watched || !h || h.observed_ms <= 0) return [];
    return [
      {
        url: relay.url,
        software: relay.software,
        version: relay.version,
        supportedNips: relay.supported_nips,
        authRequired: relay.auth_required,
        paymentRequired: relay.payment_required,
        restrictedWrites: facts.restrictedWrites.get(relay.id) ?? null,
        nip11Served: facts.nip11Served.has(relay.id),
        status: currentRelayStatus(relay, now),
        connectedMs: h.connected_ms,
        restrictedMs: h.restricted_ms,
        eoseSamples: h.eose_n,
        authChallenged: facts.authChallenged.has(relay.id),
        addresses: facts.addresses.get(relay.id) ?? [],
      },
    ];
  });
}
