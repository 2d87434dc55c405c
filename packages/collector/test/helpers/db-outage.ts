import type { Databases } from '@nostr-info/shared';
import { sql } from 'kysely';

/** Refuses new connections to database `name` and ends the open ones; `restore()` undoes it. */
export async function refuseConnections(admin: Databases, name: string): Promise<() => Promise<void>> {
  await sql`alter database ${sql.id(name)} with allow_connections false`.execute(admin.writer);
  await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name}`.execute(
    admin.writer,
  );
  return async () => {
    await sql`alter database ${sql.id(name)} with allow_connections true`.execute(admin.writer);
  };
}
