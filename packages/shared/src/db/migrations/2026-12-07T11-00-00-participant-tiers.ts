import type { Kysely } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

/**
 * User tiers kept on the rows of zap participants and client users too, so a statistics run counts
 * senders, receivers and each client's users by tier in one pass over each table instead of
 * joining them against `pubkeys` every five minutes. Null until the tier refresh has seen the row;
 * a statistics run works such rows out itself (see `pubkeys.profiled`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['zap_participants', 'client_users']) {
    await db.schema.alterTable(table).addColumn('profiled', 'boolean').execute();
    await db.schema.alterTable(table).addColumn('trusted', 'boolean').execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['zap_participants', 'client_users']) {
    await db.schema.alterTable(table).dropColumn('trusted').execute();
    await db.schema.alterTable(table).dropColumn('profiled').execute();
  }
}
