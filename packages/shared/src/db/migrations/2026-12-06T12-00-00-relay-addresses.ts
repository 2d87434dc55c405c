import { type Kysely, sql } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

/**
 * Where relays run, for the network census. Additive only: collectors of the previous release
 * keep running during an upgrade (they simply resolve no addresses).
 * - `relay_addresses`: each address a relay's host resolved to at its last resolution, with the
 *   country and autonomous system the offline IP databases place it in (null: not in the
 *   database). The set is replaced whole at each resolution, so it is the relay's current one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('relay_addresses')
    .addColumn('relay_id', 'integer', (c) => c.notNull().references('relays.id').onDelete('cascade'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('family', 'smallint', (c) => c.notNull().check(sql`family in (4, 6)`))
    .addColumn('country', 'text')
    .addColumn('asn', 'bigint')
    .addColumn('as_org', 'text')
    .addColumn('resolved_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('relay_addresses_pkey', ['relay_id', 'address'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('relay_addresses').ifExists().execute();
}
