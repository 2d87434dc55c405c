import type { Database } from '@nostr-info/shared/db';
import type { RelayStatus } from '@nostr-info/shared/relay';
import { type Kysely, sql } from 'kysely';
import { type Nip11Change, nip11Changes, parseRelayInfo, type RelayInfo } from '../relay/nip11.js';
import { pgText } from './pg-text.js';

/** A relay the collectors watch: database id and normalised URL. */
export interface WatchedRelay {
  id: number;
  url: string;
  /** `discovered` relays came from relay lists anyone can publish: dialled public addresses only. */
  source?: 'seed' | 'discovered' | 'manual';
  nip11_fetched_at?: Date | null;
  /** NIP-11 limits from the last fetch (any replica's). */
  max_message_length?: number | null;
  max_subscriptions?: number | null;
}

/**
 * Makes the configured relay list the watched seed set in `relays`, the table every replica
 * reconciles from. A configured relay is inserted as a watched seed (one already known, for
 * example discovered earlier, becomes watched and keeps its source). A seed no longer in the list
 * stops being watched, so every replica closes it on its next reconcile tick; discovered relays
 * that were admitted stay governed by the discovery policy. The replica started last with a list
 * wins; an empty list changes nothing (a broken relay file must not unwatch every seed).
 * Returns how many seeds were unwatched.
 */
export async function seedRelays(db: Kysely<Database>, urls: readonly string[]): Promise<number> {
  const unique = [...new Set(urls)].sort();
  if (unique.length === 0) return 0;
  return db.transaction().execute(async (tx) => {
    // Every row this may change, locked in id order first, the order flushes lock them in (see
    // lockRelayRows): taken in URL order they could deadlock with a running replica's flush.
    await tx
      .selectFrom('relays')
      .select('id')
      .where((eb) =>
        eb.or([
          eb('url', '=', sql<string>`any(${unique}::text[])`),
          eb.and([eb('source', '=', 'seed'), eb('watched', '=', true)]),
        ]),
      )
      .orderBy('id')
      .forNoKeyUpdate()
      .execute();
    for (let i = 0; i < unique.length; i += 1000) {
      const chunk = unique.slice(i, i + 1000);
      await tx
        .insertInto('relays')
        .values(chunk.map((url) => ({ url, source: 'seed' as const, watched: true })))
        .onConflict((oc) => oc.column('url').doUpdateSet({ watched: true }))
        .execute();
    }
    const removed = await tx
      .updateTable('relays')
      .set({ watched: false, updated_at: sql`now()` })
      .where('source', '=', 'seed')
      .where('watched', '=', true)
      .where(sql<boolean>`url <> all(${unique}::text[])`)
      .executeTakeFirst();
    return Number(removed.numUpdatedRows);
  });
}

/** Every relay in the watched set, ordered by id. */
export async function listWatched(db: Kysely<Database>): Promise<WatchedRelay[]> {
  return db
    .selectFrom('relays')
    .select(['id', 'url', 'source', 'nip11_fetched_at', 'max_message_length', 'max_subscriptions'])
    .where('watched', '=', true)
    .orderBy('id')
    .execute();
}

/**
 * Discovered, not yet watched relays, named by the most distinct authors first (each pubkey's
 * latest relay list once: a key publishing a thousand versions counts once), then the oldest.
 * How many events named a relay (`discovery_count`) plays no part: one key can make it any number.
 */
export async function listCandidates(db: Kysely<Database>, limit: number): Promise<WatchedRelay[]> {
  return db
    .selectFrom('relays')
    .select(['id', 'url'])
    .where('source', '=', 'discovered')
    .where('watched', '=', false)
    .where('status', '!=', 'offline' satisfies RelayStatus)
    .orderBy('discovery_authors', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Admits a probed discovered relay into the watched set while the number of watched discovered
 * relays stays under `cap` (checked in the same statement, so concurrent replicas cannot
 * overshoot by much). Returns true when admitted. Its status is `unknown` until the collector that
 * takes it reports what it serves: accepting a socket (all the probe saw) is not being online.
 */
export async function admitRelay(db: Kysely<Database>, id: number, cap: number): Promise<boolean> {
  const result = await db
    .updateTable('relays')
    .set({ watched: true, status: 'unknown', status_changed_at: sql`now()`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where(sql<boolean>`(select count(*) from relays r where r.source = 'discovered' and r.watched) < ${cap}`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Marks a discovered relay that failed its probe, so it is not probed again at once. */
export async function markProbeFailed(db: Kysely<Database>, id: number, errorClass: string): Promise<void> {
  await db
    .updateTable('relays')
    .set({
      status: 'offline',
      status_changed_at: sql`now()`,
      last_error_class: pgText(errorClass, 100),
      last_error_at: sql`now()`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** When the relay's NIP-11 document was last fetched (null when never). */
export async function nip11FetchedAt(db: Kysely<Database>, id: number): Promise<Date | null> {
  const row = await db
    .selectFrom('relays')
    .select('nip11_fetched_at')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.nip11_fetched_at ?? null;
}

/**
 * Stores a fetched NIP-11 document and the fields the API shows, and logs each tracked field that
 * differs from the stored document (`relay_nip11_changes`, at the time of the store). The row is
 * locked while comparing, so two replicas storing the same change (a relay between holders) log
 * it once. The first document of a relay is its baseline, not a change. Returns the changes.
 */
export async function saveNip11(db: Kysely<Database>, id: number, info: RelayInfo): Promise<Nip11Change[]> {
  return db.transaction().execute(async (tx) => {
    const stored = await tx
      .selectFrom('relays')
      .select('nip11')
      .where('id', '=', id)
      .forNoKeyUpdate()
      .executeTakeFirst();
    const changes = stored?.nip11 ? nip11Changes(parseRelayInfo(stored.nip11), info) : [];
    await tx
      .updateTable('relays')
      .set({
        nip11: JSON.stringify(info.document),
        nip11_fetched_at: sql`now()`,
        nip11_error: null,
        name: info.name,
        description: info.description,
        pubkey: info.pubkey,
        contact: info.contact,
        software: info.software,
        version: info.version,
        supported_nips: info.supportedNips,
        auth_required: info.authRequired,
        payment_required: info.paymentRequired,
        restricted_writes: info.restrictedWrites,
        max_message_length: info.maxMessageLength,
        max_subscriptions: info.maxSubscriptions,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .execute();
    if (changes.length > 0) {
      await tx
        .insertInto('relay_nip11_changes')
        .values(
          changes.map((c) => ({
            relay_id: id,
            field: c.field,
            old_value: c.from === null ? null : JSON.stringify(c.from),
            new_value: c.to === null ? null : JSON.stringify(c.to),
          })),
        )
        .execute();
    }
    return changes;
  });
}

/** Records a failed NIP-11 fetch (tried again at the next refresh or reconnect). */
export async function saveNip11Error(db: Kysely<Database>, id: number, message: string): Promise<void> {
  await db
    .updateTable('relays')
    .set({ nip11_error: pgText(message, 500), nip11_fetched_at: sql`now()`, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}
