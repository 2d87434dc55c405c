import { type Kysely, sql } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

const REJECTION_TABLES = [
  ['zap_rejections_hourly', 'hour', 'timestamptz'],
  ['zap_rejections_daily', 'day', 'date'],
] as const;

/**
 * Zap receipts checked per NIP-57. Additive only: collectors of the previous release keep writing
 * `zaps_hourly` / `zaps_daily` as before during an upgrade.
 * - `zap_payments`: one row per counted payment hash, so a paid invoice republished under new
 *   event ids counts once, across replicas and restarts (insert-on-conflict in the flush).
 * - `lightning_addresses`: the latest `lud16` / `lud06` of each profile (kind 0), newest
 *   created_at wins, ties the lowest id: any replica can learn a recipient's zap provider.
 * - `zap_rejections_hourly` / `_daily`: receipts not counted, by reason, with their amounts.
 * - `zap_unverified`: the receipts counted `unverified`, kept so they are checked again when
 *   their recipient's profile turns up (then moved to the counted zaps, or to their reason).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('zap_payments')
    .addColumn('payment_hash', 'text', (c) => c.primaryKey())
    .addColumn('verdict', 'text', (c) => c.notNull().check(sql`verdict in ('accepted', 'unverified')`))
    .addColumn('receipt_id', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('lightning_addresses')
    .addColumn('pubkey', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('lud16', 'text')
    .addColumn('lud06', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('zap_unverified')
    .addColumn('payment_hash', 'text', (c) => c.primaryKey())
    .addColumn('receipt_id', 'text', (c) => c.notNull())
    .addColumn('receiver', 'text', (c) => c.notNull())
    .addColumn('signer', 'text', (c) => c.notNull())
    .addColumn('sender', 'text')
    .addColumn('hour', 'timestamptz', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('sats', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('extra_msats', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('zap_unverified_receiver_idx')
    .on('zap_unverified')
    .column('receiver')
    .execute();
  // Kept as long as the hourly rows (the scheduler's retention), then only counted.
  await db.schema.createIndex('zap_unverified_at_idx').on('zap_unverified').column('at').execute();
  for (const [name, bucket, type] of REJECTION_TABLES) {
    await db.schema
      .createTable(name)
      .addColumn(bucket, type, (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('receipts', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('sats', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('extra_msats', 'bigint', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint(`${name}_pkey`, [bucket, 'reason'])
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of REJECTION_TABLES) await db.schema.dropTable(name).ifExists().execute();
  await db.schema.dropTable('zap_unverified').ifExists().execute();
  await db.schema.dropTable('lightning_addresses').ifExists().execute();
  await db.schema.dropTable('zap_payments').ifExists().execute();
}
