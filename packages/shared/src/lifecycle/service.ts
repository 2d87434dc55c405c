import type { Registry } from 'prom-client';
import type { Cache } from '../cache/cache.js';
import type { Databases } from '../db/factory.js';
import type { Logger } from '../log/logger.js';

/** A running role. `stop` finishes in-flight work (final flush, open requests) and resolves. */
export interface Service {
  readonly name: string;
  stop(): Promise<void>;
}

/** What the CLI hands every role: validated env, logger, databases, cache and metrics registry. */
export interface RoleContext<E> {
  env: E;
  logger: Logger;
  dbs: Databases;
  cache: Cache;
  registry: Registry;
}
