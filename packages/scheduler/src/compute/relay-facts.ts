import type { Database } from '@nostr-info/shared/db';
import type { RelayStatus } from '@nostr-info/shared/relay';
import type { Kysely } from 'kysely';

/** What the relays table says about one relay, shared by every range of a run. */
export interface RelayFacts {
  id: number;
  url: string;
  watched: boolean;
  name: string | null;
  software: string | null;
  version: string | null;
  supported_nips: number[] | null;
  auth_required: boolean | null;
  payment_required: boolean | null;
  status: RelayStatus;
  held_at: Date | null;
  open_latency_ms: number | null;
  eose_latency_ms: number | null;
  last_connected_at: Date | null;
  last_disconnected_at: Date | null;
  last_event_at: Date | null;
}

/** Reads every relay once per run (about a thousand rows). */
export async function readRelayFacts(db: Kysely<Database>): Promise<RelayFacts[]> {
  return db
    .selectFrom('relays')
    .select([
      'id',
      'url',
      'watched',
      'name',
      'software',
      'version',
      'supported_nips',
      'auth_required',
      'payment_required',
      'status',
      'held_at',
      'open_latency_ms',
      'eose_latency_ms',
      'last_connected_at',
      'last_disconnected_at',
      'last_event_at',
    ])
    .orderBy('url')
    .execute();
}
