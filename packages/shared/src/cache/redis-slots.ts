/**
 * The slot semaphore (`Cache.acquireSlot` and friends) on Redis (`Cache.acquireSlot` and friends): one sorted set per key, member =
 * holder, score = the holder's expiry in the server's milliseconds. A single key per script, so
 * it runs on Redis Cluster too; the key expires with its last slot.
 */

import type { Cluster, Redis } from 'ioredis';
import type { Cache, SlotClaim } from './cache.js';

const NOW_AND_SWEEP = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
`;

const EXPIRE_WITH_LAST = `
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then redis.call('PEXPIRE', KEYS[1], math.max(1, tonumber(last[2]) - now)) end
`;

/** ARGV: holder, limit, ttlMs. Returns { acquired (0/1), held }. */
const ACQUIRE_SLOT_SCRIPT = `${NOW_AND_SWEEP}
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  local held = redis.call('ZCARD', KEYS[1])
  if held >= tonumber(ARGV[2]) then return { 0, held } end
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
${EXPIRE_WITH_LAST}
return { 1, redis.call('ZCARD', KEYS[1]) }
`;

/** ARGV: ttlMs, holder... Returns the number of live slots. */
const RENEW_SLOTS_SCRIPT = `${NOW_AND_SWEEP}
local until_ms = now + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], until_ms, ARGV[i]) end
${EXPIRE_WITH_LAST}
return redis.call('ZCARD', KEYS[1])
`;

type Run = <T>(what: string, command: () => Promise<T>) => Promise<T>;

/** Defines the scripts on `client` (sent by hash, see `defineCommand`) and returns the methods. */
export function redisSlots(
  client: Redis | Cluster,
  run: Run,
): Pick<Cache, 'acquireSlot' | 'renewSlots' | 'releaseSlot'> {
  client.defineCommand('acquireSlot', { numberOfKeys: 1, lua: ACQUIRE_SLOT_SCRIPT });
  client.defineCommand('renewSlots', { numberOfKeys: 1, lua: RENEW_SLOTS_SCRIPT });
  const scripts = client as unknown as {
    acquireSlot(key: string, holder: string, limit: string, ttlMs: string): Promise<unknown>;
    renewSlots(key: string, ttlMs: string, ...holders: string[]): Promise<unknown>;
  };
  return {
    acquireSlot: (key, holder, limit, ttlMs) =>
      run('acquire slot', async (): Promise<SlotClaim> => {
        const ttl = String(Math.ceil(ttlMs));
        const [acquired, held] = (await scripts.acquireSlot(key, holder, String(limit), ttl)) as [
          number,
          number,
        ];
        return { acquired: Number(acquired) === 1, held: Number(held) };
      }),
    renewSlots: (key, holders, ttlMs) =>
      run('renew slots', async () => {
        if (holders.length > 0) await scripts.renewSlots(key, String(Math.ceil(ttlMs)), ...holders);
      }),
    releaseSlot: (key, holder) =>
      run('release slot', async () => {
        await client.zrem(key, holder);
      }),
  };
}
