import { Redis } from 'ioredis';

/** What `dropPrefix` needs of a client: a standalone Redis, or a Cluster for keys it routes. */
export type PrefixClient = Pick<Redis, 'scan' | 'del'>;

/**
 * Removes every key under `prefix` (what a run left behind: keys with a long TTL, or keys a failing
 * test never deleted). One DEL per key: on a Cluster node, keys of one batch may sit in different
 * slots.
 */
export async function dropPrefix(client: PrefixClient, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await Promise.all(keys.map((key) => client.del(key)));
  } while (cursor !== '0');
}

/** `dropPrefix` on the standalone Redis at `url`, with a connection of its own. */
export async function dropRedisPrefix(url: string, prefix: string): Promise<void> {
  const client = new Redis(url);
  try {
    await dropPrefix(client, prefix);
  } finally {
    await client.quit();
  }
}
