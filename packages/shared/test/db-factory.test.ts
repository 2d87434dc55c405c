import { once } from 'node:events';
import { createServer, type Server, connect as tcpConnect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDatabases, type Databases } from '../src/db/factory.js';
import { migrateOrThrow } from '../src/testing/migrate-or-throw.js';
import { createTestDatabase, type TestDatabase, testServices } from '../src/testing/test-services.js';

const services = testServices();

function onDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function whereAmI(db: Databases['writer']): Promise<{ port: number; recovery: boolean }> {
  const { rows } = await sql<{ port: number; recovery: boolean }>`
    select inet_server_port() as port, pg_is_in_recovery() as recovery
  `.execute(db);
  const [row] = rows;
  if (!row) throw new Error('no answer');
  return row;
}

/** Fails with a pointer to the script when the loopback primary + replica are not running. */
async function requireReplicaServers(): Promise<void> {
  for (const url of [services.TEST_PG_PRIMARY_URL, services.TEST_PG_REPLICA_URL]) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
    } catch (err) {
      throw new Error(
        `${new URL(url).host} is not running: run "bash scripts/services/pg-replica.sh start"`,
        {
          cause: err,
        },
      );
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

describe('createDatabases against a real primary + streaming replica', () => {
  let testDb: TestDatabase;
  let dbs: Databases;

  beforeAll(async () => {
    await requireReplicaServers();
    // Created on the primary; the replica receives the new database through streaming.
    testDb = await createTestDatabase('shared_dbfactory', services.TEST_PG_PRIMARY_URL);
    dbs = await createDatabases({
      databaseUrl: testDb.url,
      databaseReadUrl: onDatabase(services.TEST_PG_REPLICA_URL, testDb.name),
      poolMax: 2,
    });
    await migrateOrThrow(dbs);
    // Replication is asynchronous: wait until the replica has replayed the new database and schema
    // (until then the reader fails with "database does not exist" or finds no table).
    await vi.waitFor(
      async () => {
        const { rows } = await sql<{ t: string | null }>`
          select to_regclass('public.relays')::text as t
        `.execute(dbs.reader);
        expect(rows[0]?.t, 'the schema on the replica').toBeTruthy();
      },
      { timeout: 10_000, interval: 50 },
    );
  });
  afterAll(async () => {
    await dbs?.close();
    await testDb?.drop();
  });

  it('sends writes to the primary and reads to the replica', async () => {
    expect(dbs.kind).toBe('postgres');
    expect(dbs.readerIsReplica).toBe(true);
    expect(dbs.reader).not.toBe(dbs.writer);
    expect(await whereAmI(dbs.writer)).toEqual({ port: 5433, recovery: false });
    expect(await whereAmI(dbs.reader)).toEqual({ port: 5434, recovery: true });
  });

  it('makes a row written through the writer visible through the reader', async () => {
    const url = `wss://replicated-${Date.now()}.example`;
    await dbs.writer.insertInto('relays').values({ url, source: 'manual' }).execute();
    const seen = async () =>
      (await dbs.reader.selectFrom('relays').select('url').where('url', '=', url).executeTakeFirst())?.url;
    await expect.poll(seen, { timeout: 5000, interval: 50 }).toBe(url);
  });

  it('refuses a write attempted through the reader (read-only replica)', async () => {
    const attempt = dbs.reader
      .insertInto('relays')
      .values({ url: 'wss://never.example', source: 'manual' })
      .execute();
    await expect(attempt).rejects.toMatchObject({ code: '25006' });
    await expect(attempt).rejects.toThrow(/read-only/);
  });

  it('uses the writer for reads when no read URL is given, or the same URL', async () => {
    const alone = await createDatabases({ databaseUrl: testDb.url, poolMax: 1 });
    const same = await createDatabases({ databaseUrl: testDb.url, databaseReadUrl: testDb.url, poolMax: 1 });
    try {
      for (const d of [alone, same]) {
        expect(d.readerIsReplica).toBe(false);
        expect(d.reader).toBe(d.writer);
        expect(await whereAmI(d.reader)).toEqual({ port: 5433, recovery: false });
      }
      // Reads through that reader are the primary's: a write is allowed and seen at once.
      await alone.reader
        .insertInto('relays')
        .values({ url: 'wss://fallback.example', source: 'manual' })
        .execute();
      const row = await alone.reader
        .selectFrom('relays')
        .select('url')
        .where('url', '=', 'wss://fallback.example')
        .executeTakeFirst();
      expect(row?.url).toBe('wss://fallback.example');
    } finally {
      await Promise.all([alone.close(), same.close()]);
    }
  });

  it('with readFallback, reads from the primary while the replica is unreachable and from the replica once back', async () => {
    // A loopback TCP proxy to the replica, closed at first: the "replica" is down, then comes back.
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const address = probe.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    probe.close();
    await once(probe, 'close');
    const replicaPort = new URL(services.TEST_PG_REPLICA_URL).port;
    const proxyUrl = new URL(onDatabase(services.TEST_PG_REPLICA_URL, testDb.name));
    proxyUrl.port = String(address.port);

    // Without the fallback, an unreachable replica is an error.
    const strict = await createDatabases({
      databaseUrl: testDb.url,
      databaseReadUrl: proxyUrl.toString(),
      poolMax: 1,
    });
    try {
      await expect(whereAmI(strict.reader)).rejects.toThrow(/ECONNREFUSED/);
      expect(await whereAmI(strict.writer)).toEqual({ port: 5433, recovery: false });
    } finally {
      await strict.close();
    }

    const flaky = await createDatabases({
      databaseUrl: testDb.url,
      databaseReadUrl: proxyUrl.toString(),
      poolMax: 2,
      readFallback: true,
      replicaRetryMs: 300,
    });
    let proxy: Server | undefined;
    try {
      expect(flaky.readerIsReplica).toBe(true);
      expect(await whereAmI(flaky.reader)).toEqual({ port: 5433, recovery: false });
      // Still within the retry delay: the primary again, without a new attempt.
      expect(await whereAmI(flaky.reader)).toEqual({ port: 5433, recovery: false });

      proxy = createServer((socket) => {
        const upstream = tcpConnect(Number(replicaPort), '127.0.0.1');
        socket.pipe(upstream).pipe(socket);
        socket.on('error', () => upstream.destroy());
        upstream.on('error', () => socket.destroy());
      });
      proxy.listen(address.port, '127.0.0.1');
      await once(proxy, 'listening');
      await sleep(400);
      expect(await whereAmI(flaky.reader)).toEqual({ port: 5434, recovery: true });
    } finally {
      await flaky.close();
      proxy?.close();
    }
  });

  it('decodes bigint, numeric and date the same way as the embedded database', async () => {
    const { rows } = await sql<{ big: number; num: number; day: string }>`
      select 9007199254740991::bigint as big, sum(x)::numeric as num, date '2026-03-01' as day
        from (values (1.5), (2.25)) v(x)
    `.execute(dbs.reader);
    expect(rows[0]).toEqual({ big: 9007199254740991, num: 3.75, day: '2026-03-01' });
    const embedded = await createDatabases({ dataDir: 'memory://' });
    try {
      const other = await sql<{ big: number; num: number; day: string }>`
        select 9007199254740991::bigint as big, sum(x)::numeric as num, date '2026-03-01' as day
          from (values (1.5), (2.25)) v(x)
      `.execute(embedded.reader);
      expect(other.rows).toEqual(rows);
    } finally {
      await embedded.close();
    }
  });
});
