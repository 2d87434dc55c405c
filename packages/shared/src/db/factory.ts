import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import pg from 'pg';
import type { Logger } from '../log/logger.js';
import { lockDataDir } from './data-dir-lock.js';
import { createFallbackReadPool } from './read-pool.js';
import type { Database } from './schema.js';
import { pgTypes, valueParsers } from './types.js';

export type DatabaseKind = 'postgres' | 'pglite';

/** The writer (primary) and reader (replica, or the writer again) of one process. */
export interface Databases {
  kind: DatabaseKind;
  writer: Kysely<Database>;
  reader: Kysely<Database>;
  /** True when reads go to a separate replica connection. */
  readerIsReplica: boolean;
  /** The pool behind `reader` on PostgreSQL (see `withConsistentRead`); null on PGlite. */
  readPool: PostgresPool | null;
  /** Connections each pool may open (1 on PGlite). */
  poolMax: number;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  databaseReadUrl?: string | undefined;
  /** Embedded database directory when no `databaseUrl`; `memory://` keeps it in memory. */
  dataDir?: string;
  poolMax?: number;
  applicationName?: string;
  logger?: Logger | undefined;
  /** Connect timeout of each pool connection. */
  connectionTimeoutMs?: number;
  /**
   * Read from the primary while the replica cannot be reached (default off: a missing replica is
   * an error). The CLI turns it on, so a replica outage slows the primary instead of stopping reads.
   */
  readFallback?: boolean;
  /** With `readFallback`: after the replica failed to connect, how long reads use the primary. */
  replicaRetryMs?: number;
}

/** Builds a pg pool with the project's value parsers; pool errors are logged, never thrown. */
export function createPgPool(
  connectionString: string,
  {
    poolMax = 10,
    applicationName = 'nostr-info',
    logger,
    connectionTimeoutMs = 10_000,
  }: Omit<DatabaseOptions, 'databaseUrl'> = {},
): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: poolMax,
    application_name: applicationName,
    types: pgTypes,
    connectionTimeoutMillis: connectionTimeoutMs,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server must not crash the process (pg emits 'error' on the pool).
  pool.on('error', (err) => logger?.warn({ err }, 'postgres pool client error'));
  // Nor may a client in use whose connection ends without a word from the server (a network
  // drop, a proxy going away): pg rejects its query and also emits 'error' on the client itself.
  pool.on('connect', (client) => {
    client.on('error', (err) => logger?.warn({ err }, 'postgres connection lost while in use'));
  });
  return pool;
}

/** Opens (creating when missing) the embedded PGlite database under `dataDir`. */
export async function openPglite(dataDir: string): Promise<PGlite> {
  const target = dataDir === 'memory://' ? undefined : resolve(dataDir, 'pglite');
  if (target) mkdirSync(target, { recursive: true });
  const parsers = Object.fromEntries(
    Object.entries(valueParsers).map(([oid, fn]) => [oid, (v: string) => fn(v)]),
  );
  // Loaded only in embedded mode: importing PGlite would cost every process its memory.
  const { PGlite: Embedded } = await import('@electric-sql/pglite');
  // One options object: PGlite.create(undefined, options) would drop the options (and parsers).
  return Embedded.create({ dataDir: target, parsers });
}

/** `openPglite` under an exclusive lock on the directory; the release runs after close. */
async function openLockedPglite(dataDir: string): Promise<{ pglite: PGlite; release: () => void }> {
  if (dataDir === 'memory://') return { pglite: await openPglite(dataDir), release: () => undefined };
  mkdirSync(resolve(dataDir), { recursive: true });
  const release = lockDataDir(resolve(dataDir, 'pglite.lock'));
  try {
    return { pglite: await openPglite(dataDir), release };
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * The db factory. With `databaseUrl`: a pg pool on the primary for writes and, when
 * `databaseReadUrl` is set, a second pool on the replica for reads (with `readFallback`, the
 * primary serves reads while the replica cannot be reached). Without: an embedded PGlite database under `dataDir`
 * (default `./data`) that survives restarts, used for both.
 */
export async function createDatabases({
  databaseUrl,
  databaseReadUrl,
  dataDir = './data',
  poolMax = 10,
  applicationName = 'nostr-info',
  logger,
  readFallback = false,
  replicaRetryMs = 30_000,
}: DatabaseOptions = {}): Promise<Databases> {
  if (!databaseUrl) {
    const { pglite, release } = await openLockedPglite(dataDir);
    const { PGliteDialect } = await import('kysely-pglite-dialect');
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    return {
      kind: 'pglite',
      writer: db,
      reader: db,
      readerIsReplica: false,
      readPool: null,
      poolMax: 1,
      close: async () => {
        try {
          // Kysely closes PGlite only if it ran a query; closing twice is harmless.
          await db.destroy();
          if (!pglite.closed) await pglite.close();
        } finally {
          release();
        }
      },
    };
  }
  const primaryPool = createPgPool(databaseUrl, { poolMax, applicationName, logger });
  const writer = new Kysely<Database>({ dialect: new PostgresDialect({ pool: primaryPool }) });
  if (!databaseReadUrl || databaseReadUrl === databaseUrl) {
    return {
      kind: 'postgres',
      writer,
      reader: writer,
      readerIsReplica: false,
      readPool: primaryPool,
      poolMax,
      close: () => writer.destroy(),
    };
  }
  const replicaPool = createPgPool(databaseReadUrl, {
    poolMax,
    applicationName: `${applicationName}-read`,
    logger,
    // With a fallback, give up on the replica quickly instead of waiting the full connect timeout.
    ...(readFallback ? { connectionTimeoutMs: 3000 } : {}),
  });
  const readPool = readFallback
    ? createFallbackReadPool({
        replica: replicaPool,
        primary: primaryPool,
        retryAfterMs: replicaRetryMs,
        logger,
      })
    : replicaPool;
  const reader = new Kysely<Database>({ dialect: new PostgresDialect({ pool: readPool }) });
  return {
    kind: 'postgres',
    writer,
    reader,
    readerIsReplica: true,
    readPool,
    poolMax,
    close: async () => {
      // The reader first: it borrows primary connections while the replica is away.
      await reader.destroy().catch(() => undefined);
      await writer.destroy();
      // Kysely ends a pool only once it used it; the reader may have been its only user.
      if (!primaryPool.ended) await primaryPool.end();
    },
  };
}
