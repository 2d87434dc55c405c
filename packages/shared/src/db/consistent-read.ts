import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import type { Databases } from './factory.js';
import type { Database } from './schema.js';

/** Options of `withConsistentRead`. */
export interface ConsistentReadOptions {
  /**
   * Connections the reads are spread over (at least 1). Each one imports the same snapshot, so
   * statements run side by side and still see one state of the database.
   */
  connections: number;
}

const SNAPSHOT_ID = /^[0-9A-Fa-f-]+$/;
const BEGIN = 'start transaction isolation level repeatable read, read only';
/**
 * Settings for the rest of the transaction, sent by every transaction that runs a statistics
 * run's reads (see the scheduler section of docs/benchmarks.md for both):
 * - no JIT: the reads are many short aggregations whose cost estimates still pass
 *   `jit_above_cost`, and compiling them takes longer than running them;
 * - no parallel workers: the reads already run side by side on several connections, so workers
 *   only add processes competing for the same cores (a run spent about half its database CPU on
 *   them on two cores).
 */
export const READ_SETTINGS =
  "select set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)";
/** How long a connection beyond the first is waited for. */
const FOLLOWER_WAIT_MS = 200;

/**
 * Runs `read` against one state of the database: every statement it sends, on any of its
 * connections, sees the same committed data, whatever is written meanwhile.
 *
 * On PostgreSQL (primary or streaming replica) the first connection opens a read-only REPEATABLE
 * READ transaction and exports its snapshot (`pg_export_snapshot`); the others open the same kind
 * of transaction and import it (`SET TRANSACTION SNAPSHOT`), and the `Kysely` handed to `read`
 * shares those connections. A connection that cannot import it (a read pool that fell back from
 * the replica to the primary between two connects) is given back and the reads go on with fewer.
 * On PGlite (one connection) the reads run in one such transaction.
 */
export async function withConsistentRead<T>(
  dbs: Databases,
  { connections }: ConsistentReadOptions,
  read: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (!dbs.readPool) {
    return dbs.reader
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(read);
  }
  const held = await openSnapshotClients(dbs.readPool, Math.max(1, connections));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: sharedClients(held.clients) }) });
  let ok = false;
  try {
    const result = await read(db);
    ok = true;
    return result;
  } finally {
    await db.destroy();
    await held.close(ok);
  }
}

interface SnapshotClients {
  clients: PostgresPoolClient[];
  /** Ends every transaction (commit after a good read) and gives the connections back. */
  close(ok: boolean): Promise<void>;
}

async function openSnapshotClients(pool: PostgresPool, wanted: number): Promise<SnapshotClients> {
  const clients: PostgresPoolClient[] = [];
  const close = async (ok: boolean) => {
    await Promise.all(
      clients.map(async (client) => {
        await client.query(ok ? 'commit' : 'rollback', []).catch(() => undefined);
        client.release();
      }),
    );
  };
  try {
    const leader = await pool.connect();
    clients.push(leader);
    await leader.query(BEGIN, []);
    await leader.query(READ_SETTINGS, []);
    const { rows } = await leader.query<{ id: string }>('select pg_export_snapshot() as id', []);
    const id = rows[0]?.id;
    if (!id || !SNAPSHOT_ID.test(id)) throw new Error(`unexpected snapshot id ${String(id)}`);
    while (clients.length < wanted) {
      // The others are a speed-up, not a need: one the pool cannot lend at once (other users hold
      // its connections) is not waited for, and the reads share fewer connections.
      const client = await connectWithin(pool, FOLLOWER_WAIT_MS);
      if (!client) break;
      try {
        await client.query(BEGIN, []);
        // An identifier, not a value: SET TRANSACTION SNAPSHOT takes no parameter (checked above).
        await client.query(`set transaction snapshot '${id}'`, []);
        await client.query(READ_SETTINGS, []);
        clients.push(client);
      } catch {
        await client.query('rollback', []).catch(() => undefined);
        client.release();
        break;
      }
    }
    return { clients, close };
  } catch (err) {
    await close(false);
    throw err;
  }
}

/** A connection from `pool` if it lends one within `ms`; one lent later is given straight back. */
async function connectWithin(pool: PostgresPool, ms: number): Promise<PostgresPoolClient | undefined> {
  let timer: NodeJS.Timeout | undefined;
  let late = false;
  const connecting = pool.connect();
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      late = true;
      resolve(undefined);
    }, ms);
  });
  connecting.then(
    (client) => {
      if (late) client.release();
    },
    () => undefined,
  );
  try {
    return await Promise.race([connecting.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A pool over connections already checked out: `connect` lends a free one or waits for one. */
function sharedClients(clients: readonly PostgresPoolClient[]): PostgresPool {
  const free = [...clients];
  const waiting: ((client: PostgresPoolClient) => void)[] = [];
  const giveBack = (client: PostgresPoolClient) => {
    const next = waiting.shift();
    if (next) next(client);
    else free.push(client);
  };
  return {
    async connect() {
      const client =
        free.pop() ?? (await new Promise<PostgresPoolClient>((resolve) => waiting.push(resolve)));
      return {
        query: ((...args: [never]) => client.query(...args)) as PostgresPoolClient['query'],
        release: () => giveBack(client),
      };
    },
    // The connections belong to the caller's pool: ending this view ends nothing.
    end: async () => undefined,
  };
}
