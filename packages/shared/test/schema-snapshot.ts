import { type Kysely, sql } from 'kysely';

/** Tables and views of the public schema with their columns and types, sorted: comparable text. */
export async function describeSchema<DB>(db: Kysely<DB>): Promise<string[]> {
  const { rows } = await sql<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
  }>`
    select table_name, column_name, data_type, is_nullable
      from information_schema.columns
     where table_schema = 'public' and table_name not like 'kysely_%'
     order by table_name, column_name
  `.execute(db);
  return rows.map(
    (r) => `${r.table_name}.${r.column_name} ${r.data_type}${r.is_nullable === 'NO' ? ' not null' : ''}`,
  );
}

/** Names of the public tables, views and indexes (excluding Kysely's bookkeeping). */
export async function relationNames<DB>(
  db: Kysely<DB>,
): Promise<{ tables: string[]; views: string[]; indexes: string[] }> {
  const { rows } = await sql<{ relname: string; relkind: string }>`
    select c.relname, c.relkind
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'v', 'i') and c.relname not like 'kysely_%'
     order by c.relname
  `.execute(db);
  const of = (kind: string) => rows.filter((r) => r.relkind === kind).map((r) => r.relname);
  return { tables: of('r'), views: of('v'), indexes: of('i') };
}

/** Migration names recorded as applied. */
export async function appliedMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((r) => r.name);
}
