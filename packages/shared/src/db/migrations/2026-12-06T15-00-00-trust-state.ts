import { type Kysely, sql } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

/**
 * Incremental trust computations.
 * - `trust_state`: one row describing what the last computation left behind (under which
 *   methodology and settings, when the last full computation ran, how many nodes), so the next one
 *   can start from it.
 * - `trust_state_parts`: its scores by node id, as raw little-endian float64 bytes cut into parts.
 *   Derived data: losing them only makes the next computation a full one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('trust_state')
    .addColumn('id', 'smallint', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('full_at', 'timestamptz', (c) => c.notNull())
    .addColumn('saved_at', 'timestamptz', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('trust_state_parts')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('part', 'integer', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('trust_state_parts_pkey', ['name', 'part'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('trust_state_parts').execute();
  await db.schema.dropTable('trust_state').execute();
}
