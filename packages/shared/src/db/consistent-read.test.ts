import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase, testServices } from '../testing/test-services.js';
import { withConsistentRead } from './consistent-read.js';
import { createDatabases, type Databases } from './factory.js';
import type { Database } from './schema.js';

// Reads made in one consistent read see the rows committed before it and none committed during
// it, on every connection it uses; without the shared snapshot the later reads see the insert.

async function count(db: Kysely<Database>): Promise<{ n: number; pid: number }> {
  const { rows } = await sql<{ n: number; pid: number }>`
    select count(*)::int as n, pg_backend_pid() as pid from scratch`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('no row');
  return row;
}

async function insertOne(dbs: Databases): Promise<void> {
  await sql`insert into scratch values (1)`.execute(dbs.writer);
}

/** Opens a consistent read, commits a row from the writer meanwhile, and reads again. */
async function readAcrossAnInsert(dbs: Databases, connections: number) {
  return withConsistentRead(dbs, { connections }, async (db) => {
    const before = await count(db);
    await insertOne(dbs);
    // The insert is visible to a plain read (on a replica once replayed) before the reads below.
    await vi.waitFor(async () => expect((await count(dbs.reader)).n).toBe(before.n + 1), {
      timeout: 10_000,
      interval: 50,
    });
    const after = await Promise.all(Array.from({ length: 8 }, () => count(db)));
    return { before, after };
  });
}

describe.each([
  ['primary', () => testServices().TEST_PG_ADMIN_URL, null],
  ['streaming replica', () => testServices().TEST_PG_PRIMARY_URL, () => testServices().TEST_PG_REPLICA_URL],
] as const)('withConsistentRead on PostgreSQL (%s)', (_name, primaryUrl, replicaUrl) => {
  let database: TestDatabase;
  let dbs: Databases;
  beforeAll(async () => {
    database = await createTestDatabase('consistent_read', primaryUrl());
    const readUrl = replicaUrl ? new URL(new URL(database.url).pathname, replicaUrl()).toString() : undefined;
    dbs = await createDatabases({ databaseUrl: database.url, databaseReadUrl: readUrl, poolMax: 6 });
    await sql`create table scratch (n int)`.execute(dbs.writer);
    await insertOne(dbs);
    await vi.waitFor(async () => expect((await count(dbs.reader)).n).toBe(1), { timeout: 10_000 });
  });
  afterAll(async () => {
    await dbs?.close();
    await database?.drop();
  });

  it('every connection of the read runs without JIT and without parallel workers', async () => {
    const settings = await withConsistentRead(dbs, { connections: 4 }, (db) =>
      Promise.all(
        Array.from({ length: 8 }, async () => {
          const { rows } = await sql<{ jit: string; workers: string; pid: number }>`
            select current_setting('jit') as jit,
                   current_setting('max_parallel_workers_per_gather') as workers,
                   pg_backend_pid() as pid`.execute(db);
          return rows[0];
        }),
      ),
    );
    expect(new Set(settings.map((r) => r?.pid)).size).toBeGreaterThan(1);
    for (const r of settings) expect(r).toMatchObject({ jit: 'off', workers: '0' });
  });

  it('every connection of the read sees the state it started with', async () => {
    const { before, after } = await readAcrossAnInsert(dbs, 4);
    expect(new Set(after.map((r) => r.pid)).size).toBeGreaterThan(1);
    for (const r of after) expect(r.n).toBe(before.n);
    expect((await count(dbs.reader)).n).toBe(before.n + 1);
  });

  it('gives its connections back, also when the read fails', async () => {
    await expect(
      withConsistentRead(dbs, { connections: 3 }, async (db) => {
        await sql`select 1/0`.execute(db);
      }),
    ).rejects.toThrow(/division by zero/);
    // With the pool's six connections all returned, six reads at once still get one each.
    const pids = await Promise.all(
      Array.from({ length: 6 }, () =>
        withConsistentRead(dbs, { connections: 1 }, async (db) => (await count(db)).pid),
      ),
    );
    expect(new Set(pids).size).toBe(6);
  });
});

describe('withConsistentRead on PGlite', () => {
  it('reads in one repeatable-read transaction', async () => {
    const dbs = await createDatabases({ dataDir: 'memory://' });
    try {
      await sql`create table scratch (n int)`.execute(dbs.writer);
      await insertOne(dbs);
      const seen = await withConsistentRead(dbs, { connections: 4 }, async (db) => {
        const a = await count(db);
        const b = await count(db);
        return [a.n, b.n];
      });
      expect(seen).toEqual([1, 1]);
    } finally {
      await dbs.close();
    }
  });
});
