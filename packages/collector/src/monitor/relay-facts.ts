import type { Database } from '@nostr-info/shared/db';
import type { Kysely } from 'kysely';
import type { RelayFacts } from './report-tags.js';

/**
 * Reads what the collector recorded about the relays `relayIds` (their `relays` rows, as the last
 * flush wrote them): the report then states exactly the figures the site shows.
 */
export async function readRelayFacts(
  db: Kysely<Database>,
  relayIds: readonly number[],
): Promise<RelayFacts[]> {
  if (relayIds.length === 0) return [];
  const rows = await db
    .selectFrom('relays')
    .select([
      'id',
      'url',
      'status',
      'open_latency_ms',
      'eose_latency_ms',
      'supported_nips',
      'auth_required',
      'payment_required',
      'restricted_writes',
      'nip11',
    ])
    .where('id', 'in', [...relayIds])
    .execute();
  return rows.map((r) => ({
    relayId: r.id,
    url: r.url,
    status: r.status,
    openLatencyMs: r.open_latency_ms,
    eoseLatencyMs: r.eose_latency_ms,
    supportedNips: r.supported_nips,
    authRequired: r.auth_required,
    paymentRequired: r.payment_required,
    restrictedWrites: r.restricted_writes,
    nip11: r.nip11,
  }));
}
