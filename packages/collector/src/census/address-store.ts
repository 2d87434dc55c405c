import type { Database } from '@nostr-info/shared/db';
import type { Kysely } from 'kysely';
import { pgText } from '../store/pg-text.js';
import type { Location } from './geo-db.js';
import type { ResolvedAddress } from './host-resolver.js';

/** An address of a relay and where it is. */
export type LocatedAddress = ResolvedAddress & Location;

/**
 * Replaces the relay's stored addresses with `addresses` (one transaction: a reader sees the old
 * set or the new one). A relay has a handful of addresses, far below any parameter limit.
 */
export async function saveRelayAddresses(
  db: Kysely<Database>,
  relayId: number,
  addresses: readonly LocatedAddress[],
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('relay_addresses').where('relay_id', '=', relayId).execute();
    if (addresses.length === 0) return;
    await tx
      .insertInto('relay_addresses')
      .values(
        addresses.map((a) => ({
          relay_id: relayId,
          address: a.address,
          family: a.family,
          country: a.country,
          asn: a.asn,
          as_org: a.asOrg === null ? null : pgText(a.asOrg, 200),
        })),
      )
      .execute();
  });
}
