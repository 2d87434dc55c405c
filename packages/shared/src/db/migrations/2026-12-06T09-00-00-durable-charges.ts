import type { Kysely } from 'kysely';

/**
 * `relay_credited.charged`: the bad copies (invalid, off-filter) a flush charged to the relay, as
 * the 64-bit hashes its per-relay memory keeps (8 bytes each), so a relay resumed from its durable
 * point after a crash is not charged again for bad copies it re-sends in the look-back.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('relay_credited').addColumn('charged', 'bytea').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('relay_credited').dropColumn('charged').execute();
}
