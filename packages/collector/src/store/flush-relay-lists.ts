import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import type { CounterBuffer, RelayListRow } from '../aggregate/counter-buffer.js';
import { chunkRows } from './chunks.js';

type Tx = Kysely<Database>;

/** One pubkey's stored lists: the relay list (kind 10002) and the contact list's relay map (kind 3). */
interface StoredLists {
  pubkey: string;
  list_event_id: string | null;
  list_created_at: Date | null;
  list_urls: string[];
  contacts_event_id: string | null;
  contacts_created_at: Date | null;
  contacts_urls: string[];
}

/** What a flush changes: the rows to write and, per relay URL, how many authors it gains or loses. */
export interface RelayListChanges {
  rows: StoredLists[];
  /** URL → change of `relays.discovery_authors`. */
  deltas: Map<string, number>;
}

const PREFIX = { 10002: 'list', 3: 'contacts' } as const;

/** True when `row` (NIP-01) replaces the stored version: newer, or as new with a lower id. */
function newer(row: RelayListRow, id: string | null, createdAt: Date | null): boolean {
  if (id === null || createdAt === null) return true;
  const stored = createdAt.getTime();
  return row.createdAt > stored || (row.createdAt === stored && row.eventId < id);
}

function union(row: StoredLists): Set<string> {
  return new Set([...row.list_urls, ...row.contacts_urls]);
}

/**
 * Reads and locks the stored lists of every pubkey in the buffer, applies the buffer's newer
 * versions, and returns the rows to write with the change of each relay's author count. A pubkey
 * counts once per relay however many lists (or versions of them) name it: only its latest relay
 * list and latest contact list count, and a relay in both counts once.
 *
 * Replicas flush concurrently: rows are created if missing (so two replicas that see the same new
 * pubkey meet on its key) and then locked in pubkey order, so one flush waits for the other and
 * computes its change from what the other wrote. Called before any `relays` row is locked, in
 * every flush, so the two lock orders never cross.
 */
export async function readRelayListChanges(tx: Tx, buffer: CounterBuffer): Promise<RelayListChanges> {
  const byPubkey = new Map<string, RelayListRow[]>();
  for (const row of buffer.relayLists.values()) {
    const rows = byPubkey.get(row.pubkey);
    if (rows) rows.push(row);
    else byPubkey.set(row.pubkey, [row]);
  }
  const deltas = new Map<string, number>();
  if (byPubkey.size === 0) return { rows: [], deltas };
  const pubkeys = [...byPubkey.keys()].sort();
  for (const chunk of chunkRows(pubkeys, 1)) {
    await tx
      .insertInto('relay_list_authors')
      .values(chunk.map((pubkey) => ({ pubkey })))
      .onConflict((oc) => oc.column('pubkey').doNothing())
      .execute();
  }
  const stored = await tx
    .selectFrom('relay_list_authors')
    .select([
      'pubkey',
      'list_event_id',
      'list_created_at',
      'list_urls',
      'contacts_event_id',
      'contacts_created_at',
      'contacts_urls',
    ])
    .where('pubkey', '=', sql<string>`any(${pubkeys}::text[])`)
    .orderBy('pubkey')
    .forUpdate()
    .execute();
  const rows: StoredLists[] = [];
  for (const current of stored) {
    const next: StoredLists = { ...current };
    let changed = false;
    for (const list of byPubkey.get(current.pubkey) ?? []) {
      const p = PREFIX[list.kind as keyof typeof PREFIX];
      if (!p || !newer(list, next[`${p}_event_id`], next[`${p}_created_at`])) continue;
      next[`${p}_event_id`] = list.eventId;
      next[`${p}_created_at`] = new Date(list.createdAt);
      next[`${p}_urls`] = list.urls;
      changed = true;
    }
    if (!changed) continue;
    rows.push(next);
    const before = union(current);
    const after = union(next);
    for (const url of after) if (!before.has(url)) deltas.set(url, (deltas.get(url) ?? 0) + 1);
    for (const url of before) if (!after.has(url)) deltas.set(url, (deltas.get(url) ?? 0) - 1);
  }
  for (const [url, delta] of deltas) if (delta === 0) deltas.delete(url);
  return { rows, deltas };
}

/**
 * Writes the changed lists and moves each relay's `discovery_authors` by its change. The relays
 * rows exist (a URL a list names was inserted as discovered in the same flush, or earlier) and are
 * locked already.
 */
export async function writeRelayListChanges(tx: Tx, { rows, deltas }: RelayListChanges): Promise<void> {
  for (const chunk of chunkRows(rows, 7)) {
    await tx
      .insertInto('relay_list_authors')
      .values(chunk.map((r) => ({ ...r, updated_at: sql`now()` })))
      .onConflict((oc) =>
        oc.column('pubkey').doUpdateSet((eb) => ({
          list_event_id: eb.ref('excluded.list_event_id'),
          list_created_at: eb.ref('excluded.list_created_at'),
          list_urls: eb.ref('excluded.list_urls'),
          contacts_event_id: eb.ref('excluded.contacts_event_id'),
          contacts_created_at: eb.ref('excluded.contacts_created_at'),
          contacts_urls: eb.ref('excluded.contacts_urls'),
          updated_at: sql`now()`,
        })),
      )
      .execute();
  }
  if (deltas.size === 0) return;
  const urls = [...deltas.keys()].sort();
  const changes = urls.map((url) => deltas.get(url) ?? 0);
  await sql`
    update relays r
       set discovery_authors = r.discovery_authors + v.delta
      from unnest(${urls}::text[], ${changes}::int[]) as v(url, delta)
     where r.url = v.url`.execute(tx);
}
