import { type Kysely, sql } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

/**
 * Relays taken off the watched set before `relays.held_at` existed kept the status their last
 * holder wrote (a replica that lets a relay go writes nothing more), and with no report time
 * readers showed it for ever. Each such relay a collector once held (a seed, or any relay a
 * collector connected to) gets as report time the last thing a collector wrote of it, so readers
 * show it `unknown` five minutes after that. Discovered relays no collector ever held keep what
 * their probe found.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    update relays
       set held_at = coalesce(
             greatest(last_connected_at, last_disconnected_at, last_error_at, status_changed_at),
             updated_at)
     where held_at is null
       and not watched
       and (source <> 'discovered' or last_connected_at is not null)
  `.execute(db);
}

/** Nothing to undo: the column and its meaning go with the migration that made it. */
export async function down(_db: Kysely<any>): Promise<void> {}
