import type { CacheEnv } from '../config/env.js';
import { redisCredentials } from '../config/redis-auth.js';
import type { Logger } from '../log/logger.js';
import type { Cache } from './cache.js';
import { createMemoryCache } from './memory-cache.js';
import { createRedisCache } from './redis-cache.js';

/** Picks the cache by env: REDIS_CLUSTER_NODES → Cluster, REDIS_URL → single node, else memory. */
export function createCache(env: CacheEnv, logger?: Logger): Cache {
  const credentials = redisCredentials(env);
  if (env.REDIS_CLUSTER_NODES && env.REDIS_CLUSTER_NODES.length > 0) {
    return createRedisCache({
      clusterNodes: env.REDIS_CLUSTER_NODES,
      ...credentials,
      keyPrefix: env.REDIS_KEY_PREFIX,
      logger,
    });
  }
  if (env.REDIS_URL) {
    return createRedisCache({ url: env.REDIS_URL, ...credentials, keyPrefix: env.REDIS_KEY_PREFIX, logger });
  }
  return createMemoryCache({ logger });
}
