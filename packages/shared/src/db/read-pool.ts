import type { PostgresPool } from 'kysely';
import type pg from 'pg';
import type { Logger } from '../log/logger.js';

export interface FallbackReadPoolOptions {
  /** Pool on the read replica (ended with this pool). */
  replica: pg.Pool;
  /** Pool on the primary, shared with the writer (ended by the writer, not here). */
  primary: pg.Pool;
  /** After a failed connect, how long reads go to the primary before the replica is tried again. */
  retryAfterMs?: number;
  logger?: Logger | undefined;
  now?: () => number;
}

/** A read pool that uses the replica while it answers and the primary while it does not. */
export interface FallbackReadPool extends PostgresPool {
  /** True while reads are being sent to the primary. */
  readonly onPrimary: boolean;
}

/**
 * Reads go to the replica; when it cannot be reached, to the primary, so a replica outage slows
 * the primary down instead of failing every statistics run. A failed replica is retried after
 * `retryAfterMs`, not on every connect, so an unreachable host does not add its connect timeout
 * to each query.
 */
export function createFallbackReadPool({
  replica,
  primary,
  retryAfterMs = 30_000,
  logger,
  now = Date.now,
}: FallbackReadPoolOptions): FallbackReadPool {
  let primaryUntil = 0;
  let fellBack = false;
  return {
    get onPrimary() {
      return now() < primaryUntil;
    },
    async connect() {
      if (now() >= primaryUntil) {
        try {
          const client = await replica.connect();
          if (fellBack) logger?.info('read replica reachable again; reading from it');
          fellBack = false;
          return client;
        } catch (err) {
          primaryUntil = now() + retryAfterMs;
          fellBack = true;
          logger?.warn({ err, retryAfterMs }, 'read replica unreachable; reading from the primary');
        }
      }
      return primary.connect();
    },
    end: () => replica.end(),
  };
}
