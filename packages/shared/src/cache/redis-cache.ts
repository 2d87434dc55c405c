import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../log/logger.js';
import { type Cache, CacheError, type CacheKind, type MessageHandler, type WindowHit } from './cache.js';
import { trackReadiness, withTimeout } from './readiness.js';
import { hideAuthArguments } from './redis-errors.js';
import { redisSlots } from './redis-slots.js';

/**
 * One round trip for a fixed window: INCRBY, start the window on the first hits, report the TTL.
 * A single key, so it is valid on Redis Cluster. Sent by hash (EVALSHA, see `defineCommand`).
 */
/** Compare-and-set on one key (single key: valid on Redis Cluster). */
const REPLACE_IF_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
  return 1
end
return 0
`;

const HIT_WINDOW_SCRIPT = `
local hits = tonumber(ARGV[2] or '1')
local count = redis.call('INCRBY', KEYS[1], hits)
if count == hits then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { count, ttl }
`;

type Client = Redis | Cluster;

export interface RedisCacheOptions {
  /** `redis://…` for a single node. */
  url?: string | undefined;
  /** Seed nodes of a Redis Cluster. */
  clusterNodes?: { host: string; port: number }[] | undefined;
  /** ACL user for every connection (single node: credentials in `url` work too). */
  username?: string | undefined;
  /** Password for every connection, every Cluster node included. */
  password?: string | undefined;
  keyPrefix?: string;
  logger?: Logger;
  /** Commands fail fast (instead of queueing forever) while the server is away. */
  commandTimeoutMs?: number;
}

/**
 * Cache on ioredis, single node or Cluster. Commands of a batch are sent without waiting for
 * each other (auto-pipelined on a single node). A second connection carries subscriptions.
 */
export function createRedisCache({
  url,
  clusterNodes,
  username,
  password,
  keyPrefix = 'nostr-info:',
  logger,
  commandTimeoutMs = 2000,
}: RedisCacheOptions): Cache {
  // Only keys that are set: an undefined password must not override one written in the URL.
  const auth: RedisOptions = {
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password }),
  };
  const common: RedisOptions = {
    ...auth,
    keyPrefix,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  };
  const make = (): Client => {
    if (clusterNodes && clusterNodes.length > 0) {
      // Seed nodes as bare host:port; credentials go to redisOptions, which ioredis also uses for
      // the nodes it discovers from CLUSTER SLOTS (per-seed options would not reach those).
      const seeds = clusterNodes.map(({ host, port }) => ({ host, port }));
      return new Cluster(seeds, {
        // No auto-pipelining on a Cluster: after a failover a batch spanning slots gets MOVED
        // replies that differ per slot, which ioredis neither retries nor uses to refresh its slot
        // map, so every batch kept failing. Single commands follow MOVED and refresh the map, and
        // ioredis still sends them without waiting for replies (one round trip per batch).
        enableAutoPipelining: false,
        keyPrefix,
        scaleReads: 'master',
        clusterRetryStrategy: (times) => Math.min(times * 200, 2000),
        redisOptions: { ...auth, commandTimeout: commandTimeoutMs, maxRetriesPerRequest: 1 },
        slotsRefreshTimeout: 2000,
      });
    }
    if (!url) throw new Error('createRedisCache needs a url or cluster nodes');
    return new Redis(url, { ...common, enableAutoPipelining: true });
  };
  const kind: CacheKind = clusterNodes && clusterNodes.length > 0 ? 'cluster' : 'redis';
  const client = make();
  let subscriber: Client | undefined;
  const handlers = new Map<string, Set<MessageHandler>>();
  /** SUBSCRIBE in flight per channel, so concurrent subscribers all wait for the same one. */
  const subscribing = new Map<string, Promise<unknown>>();
  /** The last connection error (e.g. WRONGPASS), so a failing command says why it failed. */
  let lastError: string | undefined;
  const onError = (role: string) => (err: Error) => {
    hideAuthArguments(err);
    // A Cluster's "Failed to refresh slots cache." carries the node's own reason separately.
    const nodeError = (err as { lastNodeError?: unknown }).lastNodeError;
    hideAuthArguments(nodeError);
    if (role === 'commands') {
      lastError = nodeError instanceof Error ? `${err.message} ${nodeError.message}` : err.message;
    }
    logger?.warn({ err, role, kind }, 'redis connection error');
  };
  client.on('error', onError('commands'));
  // A Cluster reports a node's own failure (e.g. WRONGPASS) here and only "Failed to refresh
  // slots cache" as its error.
  client.on('node error', onError('commands'));
  client.on('ready', () => {
    lastError = undefined;
  });
  // EVALSHA with a fallback to EVAL on NOSCRIPT: the script text is sent once, not per hit.
  client.defineCommand('hitWindow', { numberOfKeys: 1, lua: HIT_WINDOW_SCRIPT });
  client.defineCommand('replaceIf', { numberOfKeys: 1, lua: REPLACE_IF_SCRIPT });
  const replaceIfCommand = (key: string, expected: string, value: string, ttl: string): Promise<unknown> =>
    (
      client as unknown as { replaceIf(k: string, e: string, v: string, t: string): Promise<unknown> }
    ).replaceIf(key, expected, value, ttl);
  const hitWindowCommand = (key: string, windowMs: string, hits: string): Promise<unknown> =>
    (client as unknown as { hitWindow(k: string, w: string, h: string): Promise<unknown> }).hitWindow(
      key,
      windowMs,
      hits,
    );

  const readiness = trackReadiness(client);

  /**
   * Runs a command; failures become `CacheError` with the ioredis error as cause. While the server
   * has been away longer than `commandTimeoutMs`, commands fail at once (not queued), and no call
   * waits much longer than `commandTimeoutMs`.
   */
  const run = async <T>(what: string, command: () => Promise<T>): Promise<T> => {
    try {
      if (readiness.downForMs() > commandTimeoutMs) throw new Error(`not connected to ${kind}`);
      return await withTimeout(
        command(),
        commandTimeoutMs + 1000,
        `no answer within ${commandTimeoutMs + 1000} ms`,
      );
    } catch (err) {
      hideAuthArguments(err);
      let reason = err instanceof Error ? err.message : String(err);
      // While disconnected, the connection's own error says why (wrong password, refused ...).
      if (lastError && readiness.downForMs() > 0 && !reason.includes(lastError)) {
        reason += ` (last error: ${lastError})`;
      }
      throw new CacheError(`${kind} cache: ${what} failed: ${reason}`, { cause: err });
    }
  };

  const subscriberClient = (): Client => {
    if (subscriber) return subscriber;
    const sub = make();
    sub.on('error', onError('subscriber'));
    // Pub/sub channels are not prefixed by ioredis; prefix them ourselves for isolation.
    sub.on('message', (channel: string, message: string) => {
      const set = handlers.get(channel);
      if (!set) return;
      for (const handler of set) {
        // One failing handler must neither starve the others nor crash the process.
        try {
          handler(message);
        } catch (err) {
          logger?.error({ err, channel }, 'cache message handler failed');
        }
      }
    });
    subscriber = sub;
    return sub;
  };

  return {
    kind,
    get: (key) => run('GET', () => client.get(key)),
    set: (key, value, ttlSeconds) =>
      run('SET', async () => {
        if (ttlSeconds) await client.set(key, value, 'EX', ttlSeconds);
        else await client.set(key, value);
      }),
    del: (key) =>
      run('DEL', async () => {
        await client.del(key);
      }),
    setIfAbsent: (key, value, ttlSeconds) =>
      run('SET NX', async () => (await client.set(key, value, 'EX', ttlSeconds, 'NX')) === 'OK'),
    claim: (key, value, ttlSeconds) =>
      run('SET NX GET', async () => {
        const previous = await client.call('SET', key, value, 'EX', String(ttlSeconds), 'NX', 'GET');
        return previous === null ? null : String(previous);
      }),
    replaceIf: (key, expected, value, ttlSeconds) =>
      run(
        'replace if',
        async () => Number(await replaceIfCommand(key, expected, value, String(ttlSeconds))) === 1,
      ),
    setManyIfAbsent: (keys, ttlSeconds) =>
      run('SET NX (batch)', async () => {
        // Sent back to back without waiting for replies: about one round trip for the batch.
        const answers = await Promise.all(keys.map((key) => client.set(key, '1', 'EX', ttlSeconds, 'NX')));
        return answers.map((answer) => answer === 'OK');
      }),
    hitWindow: (key, windowSeconds, hits = 1) =>
      run('hit window', async (): Promise<WindowHit> => {
        const [count, ttl] = (await hitWindowCommand(key, String(windowSeconds * 1000), String(hits))) as [
          number,
          number,
        ];
        return { count: Number(count), resetMs: Math.max(0, Number(ttl)) };
      }),
    ...redisSlots(client, run),
    publish: (channel, message) =>
      run('PUBLISH', async () => {
        await client.publish(`${keyPrefix}${channel}`, message);
      }),
    subscribe: async (channel, handler) => {
      const full = `${keyPrefix}${channel}`;
      let set = handlers.get(full);
      if (!set) {
        set = new Set();
        handlers.set(full, set);
        const pending = run('SUBSCRIBE', () => subscriberClient().subscribe(full));
        subscribing.set(full, pending);
        try {
          await pending;
        } catch (err) {
          handlers.delete(full);
          throw err;
        } finally {
          subscribing.delete(full);
        }
      } else {
        await subscribing.get(full);
      }
      set.add(handler);
      return async () => {
        const current = handlers.get(full);
        current?.delete(handler);
        if (current && current.size === 0) {
          handlers.delete(full);
          await subscriber?.unsubscribe(full).catch(() => undefined);
        }
      };
    },
    memoryInfo: () =>
      run('INFO memory', async () => {
        const nodes: Redis[] = client instanceof Cluster ? client.nodes('master') : [client];
        let usedBytes = 0;
        let maxBytes = 0;
        for (const node of nodes) {
          const info = await node.info('memory');
          usedBytes += Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
          maxBytes += Number(/maxmemory:(\d+)/.exec(info)?.[1] ?? 0);
        }
        return { usedBytes, maxBytes };
      }),
    ping: async () => {
      try {
        return (await run('PING', () => client.ping())) === 'PONG';
      } catch {
        return false;
      }
    },
    close: async () => {
      await Promise.allSettled([client.quit(), subscriber?.quit()]);
      client.disconnect();
      subscriber?.disconnect();
    },
  };
}
