import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Databases } from '../src/db/factory.js';
import { RELAY_STATUSES } from '../src/relay/relay-status.js';
import { migratedEmbeddedDatabase } from '../src/testing/embedded-database.js';
import { migratedTestDatabase } from '../src/testing/migrated-database.js';

// The relays table takes every status the code knows (the new `unresponsive` and
// `payment_required` beside the ones rows already hold), and nothing else, on both engines.

async function check(dbs: Databases): Promise<void> {
  for (const [i, status] of RELAY_STATUSES.entries()) {
    await dbs.writer
      .insertInto('relays')
      .values({ url: `wss://r${i}.example`, source: 'seed', status })
      .execute();
  }
  const rows = await dbs.reader.selectFrom('relays').select('status').orderBy('url').execute();
  expect(rows.map((r) => r.status).sort()).toEqual([...RELAY_STATUSES].sort());
  await expect(
    sql`insert into relays (url, source, status) values ('wss://bad.example', 'seed', 'serving')`.execute(
      dbs.writer,
    ),
  ).rejects.toThrow(/relays_status_check/);
}

describe('relay statuses in the database', () => {
  it('are exactly RELAY_STATUSES on PostgreSQL', async () => {
    const db = await migratedTestDatabase('shared_relay_statuses');
    try {
      await check(db.dbs);
    } finally {
      await db.drop();
    }
  });

  it('are exactly RELAY_STATUSES on PGlite', async () => {
    const dbs = await migratedEmbeddedDatabase();
    try {
      await check(dbs);
    } finally {
      await dbs.close();
    }
  });
});
