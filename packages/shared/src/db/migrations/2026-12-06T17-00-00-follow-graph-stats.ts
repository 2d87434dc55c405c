import type { Kysely } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

/**
 * `follow_graph_stats`: one row per trust computation with the follow-graph statistics it computed
 * from the graph it held in memory (lists, follows, followers, the most-followed trusted keys), so
 * the 5-minute statistics runs only read them. Kept to the latest few rows by the writer.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('follow_graph_stats')
    .addColumn('computed_at', 'timestamptz', (c) => c.primaryKey())
    .addColumn('methodology_version', 'text', (c) => c.notNull())
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('follow_graph_stats').execute();
}
