import { type Cache, createCache } from '@nostr-info/shared/cache';
import {
  type BaseEnv,
  type CacheEnv,
  EnvError,
  type EnvFor,
  loadEnv,
  type Role,
} from '@nostr-info/shared/config';
import { createDatabases, type Databases, migrateToLatest } from '@nostr-info/shared/db';
import type { RoleContext, Service } from '@nostr-info/shared/lifecycle';
import { createLogger, type Logger } from '@nostr-info/shared/log';
import { createRegistry, PACKAGE_VERSION } from '@nostr-info/shared/metrics';

/** Error raised by a command that should end the process with a given status. */
export class ExitError extends Error {
  override readonly name = 'ExitError';
  constructor(
    message: string,
    readonly exitCode: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Loads and validates the env of `role`; on problems prints them all and exits 2. */
export function envOrExit<R extends Role>(role: R): EnvFor<R> {
  try {
    return loadEnv(role);
  } catch (err) {
    if (err instanceof EnvError) {
      process.stderr.write(`nostr-info: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

export function loggerFor(env: BaseEnv, service: string): Logger {
  return createLogger({ level: env.LOG_LEVEL, pretty: env.LOG_PRETTY, base: { service } });
}

export async function openDatabases(env: BaseEnv, logger: Logger, service: string): Promise<Databases> {
  const dbs = await createDatabases({
    databaseUrl: env.DATABASE_URL,
    databaseReadUrl: env.DATABASE_READ_URL,
    dataDir: env.DATA_DIR,
    poolMax: env.DATABASE_POOL_MAX,
    applicationName: `nostr-info-${service}`,
    logger,
    // A replica outage must slow reads down (served by the primary), not stop them.
    readFallback: true,
  });
  logger.info(
    {
      database: dbs.kind,
      readReplica: dbs.readerIsReplica,
      dataDir: dbs.kind === 'pglite' ? env.DATA_DIR : undefined,
    },
    'database opened',
  );
  return dbs;
}

/** Runs migrations and fails with a readable error (never a half-started service). */
export async function migrate(dbs: Databases, logger: Logger): Promise<void> {
  // Connecting can throw before the Migrator runs; both ways end as "migrations failed".
  const onRetry = (attempt: number, err: unknown) =>
    logger.warn({ attempt, err }, 'migrations met a busy table or a deadlock; rolled back, trying again');
  const { error, results = [] } = await migrateToLatest(dbs.writer, dbs.kind, { onRetry }).catch(
    (err: unknown) => ({ error: err, results: undefined }),
  );
  for (const r of results) logger.info({ migration: r.migrationName, status: r.status }, 'migration');
  if (error) throw new ExitError('migrations failed', 1, { cause: error });
}

/** Builds what a role needs: logger, databases, cache and registry. */
export async function buildContext<R extends Role>(
  role: R,
  env: EnvFor<R> & CacheEnv,
  { runMigrations = false }: { runMigrations?: boolean } = {},
): Promise<RoleContext<EnvFor<R>>> {
  const logger = loggerFor(env, role);
  logger.info({ version: PACKAGE_VERSION, node: process.version }, 'starting');
  const dbs = await openDatabases(env, logger, role);
  if (runMigrations) await migrate(dbs, logger);
  const cache: Cache = createCache(env, logger.child({ module: 'cache' }));
  logger.info({ cache: cache.kind }, 'cache selected');
  const registry = createRegistry({ service: role });
  return { env, logger, dbs, cache, registry };
}

let pendingSignal: NodeJS.Signals | undefined;
let onSignal: ((signal: NodeJS.Signals) => void) | undefined;
let tracking = false;

/**
 * Catches SIGTERM/SIGINT from the very start of a long-running role, so a signal that arrives
 * while the role is still starting (opening the database, migrating) stops it cleanly once it
 * is up instead of killing it half-started. One-shot commands keep the default handling.
 */
export function trackStopSignals(): void {
  if (tracking) return;
  tracking = true;
  const handle = (signal: NodeJS.Signals) => {
    if (onSignal) onSignal(signal);
    else if (pendingSignal)
      process.exit(1); // a second signal while still starting
    else pendingSignal = signal;
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}

/**
 * Keeps the process alive until SIGTERM/SIGINT, then stops the services in order (first the ones
 * that accept work), closes the cache and databases, and exits 0. A second signal exits at once.
 */
export function stopOnSignal(ctx: RoleContext<unknown>, services: Service[]): Promise<void> {
  trackStopSignals();
  return new Promise((resolve) => {
    let stopping = false;
    const stop = async (signal: NodeJS.Signals) => {
      if (stopping) {
        ctx.logger.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      ctx.logger.info({ signal }, 'stopping');
      let failed = false;
      for (const service of services) {
        try {
          await service.stop();
        } catch (err) {
          failed = true;
          ctx.logger.error({ err, service: service.name }, 'service failed to stop cleanly');
        }
      }
      await ctx.cache.close().catch(() => undefined);
      await ctx.dbs.close().catch(() => undefined);
      ctx.logger.info('stopped');
      process.exitCode = failed ? 1 : 0;
      resolve();
    };
    onSignal = (signal) => void stop(signal);
    if (pendingSignal) {
      ctx.logger.info({ signal: pendingSignal }, 'signal received while starting');
      void stop(pendingSignal);
    }
  });
}
