import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cache, CacheError } from '../src/cache/cache.js';
import { createCache } from '../src/cache/factory.js';
import { loadEnv } from '../src/config/env.js';
import { createLogger } from '../src/log/logger.js';
import { type AuthRedis, startAuthCluster, startAuthRedis } from './auth-redis.js';

const PASSWORD = 'Sup3r-Secret-pw';
const ACL_USER = 'nostr_app';
const ACL_PASSWORD = 'Acl-Secret-pw9';
const WRONG = 'Wrong-Guess-77';

/** A logger whose lines are kept, to prove no password reaches them. */
function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (s) => lines.push(s) } });
  return { logger, lines };
}

/** The rejection of `promise` (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err as Error,
  );
}

/** Everything a caller or a log line could see of an error, cause and attached command included. */
function everything(err: Error): string {
  const cause = err.cause as (Error & { command?: unknown }) | undefined;
  return [err.message, err.stack, cause?.message, cause?.stack, JSON.stringify(cause?.command ?? null)].join(
    '\n',
  );
}

describe('cache on a password-protected Redis', () => {
  let server: AuthRedis;
  const opened: Cache[] = [];
  const open = (env: Record<string, string>, logger?: ReturnType<typeof createLogger>) => {
    const cache = createCache(loadEnv('api', { REDIS_KEY_PREFIX: 'test:auth:', ...env }), logger);
    opened.push(cache);
    return cache;
  };
  const url = (auth: string) => `redis://${auth}127.0.0.1:${server.ports[0]}`;

  beforeAll(async () => {
    server = await startAuthRedis(PASSWORD, ACL_USER, ACL_PASSWORD);
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled(opened.map((c) => c.close()));
    await server?.stop();
  });

  it('logs in with the password in REDIS_URL, in REDIS_PASSWORD, or as an ACL user', async () => {
    const inUrl = open({ REDIS_URL: url(`:${PASSWORD}@`) });
    const separate = open({ REDIS_URL: url(''), REDIS_PASSWORD: PASSWORD });
    const acl = open({ REDIS_URL: url(''), REDIS_USERNAME: ACL_USER, REDIS_PASSWORD: ACL_PASSWORD });
    const aclInUrl = open({ REDIS_URL: url(`${ACL_USER}:${ACL_PASSWORD}@`) });
    await inUrl.set('k', 'v1', 30);
    expect(await separate.get('k')).toBe('v1');
    await acl.set('k', 'v2', 30);
    expect(await aclInUrl.get('k')).toBe('v2');
    // Pub/sub uses its own connection, which must log in too.
    const got: string[] = [];
    const off = await acl.subscribe('chan', (m) => got.push(m));
    await separate.publish('chan', 'hello');
    await expect.poll(() => got).toEqual(['hello']);
    await off();
    await inUrl.del('k');
  });

  it('a wrong password fails with a clear CacheError that shows no password', async () => {
    const { logger, lines } = capture();
    const wrong = open({ REDIS_URL: url(''), REDIS_PASSWORD: WRONG }, logger);
    const err = await rejection(wrong.get('k'));
    expect(err).toBeInstanceOf(CacheError);
    expect(err.message).toMatch(/WRONGPASS/);
    expect(await wrong.ping()).toBe(false);
    const wrongUser = open({ REDIS_URL: url(`${ACL_USER}:${WRONG}@`) });
    expect((await rejection(wrongUser.get('k'))).message).toMatch(/WRONGPASS/);
    await expect.poll(() => lines.join('').includes('WRONGPASS')).toBe(true);
    expect(lines.join('\n')).not.toContain(WRONG);
    expect(everything(err)).not.toContain(WRONG);
  });

  it('no password at all fails with NOAUTH', async () => {
    const none = open({ REDIS_URL: url('') });
    const err = await rejection(none.set('k', 'v', 10));
    expect(err).toBeInstanceOf(CacheError);
    expect(err.message).toMatch(/NOAUTH/);
  });
});

describe('cache on a password-protected Redis Cluster', () => {
  let cluster: AuthRedis;
  const opened: Cache[] = [];
  const open = (env: Record<string, string>, logger?: ReturnType<typeof createLogger>) => {
    const cache = createCache(
      loadEnv('api', { REDIS_KEY_PREFIX: 'test:auth-cluster:', REDIS_USERNAME: '', ...env }),
      logger,
    );
    opened.push(cache);
    return cache;
  };
  const nodes = () => cluster.ports.map((p) => `127.0.0.1:${p}`);

  beforeAll(async () => {
    cluster = await startAuthCluster(PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled(opened.map((c) => c.close()));
    await cluster?.stop();
  });

  /** Keys on each master, counted with an admin client that logs in itself. */
  async function keysPerMaster(): Promise<number[]> {
    const admin = new Cluster(
      cluster.ports.map((port) => ({ host: '127.0.0.1', port })),
      { redisOptions: { password: PASSWORD } },
    );
    try {
      await admin.ping();
      return await Promise.all(
        admin.nodes('master').map(async (node) => (await node.keys('test:auth-cluster:*')).length),
      );
    } finally {
      admin.disconnect();
    }
  }

  it('uses the password of one redis:// seed entry for every node it discovers', async () => {
    // Only the first seed carries credentials; the others are bare host:port.
    const [first, ...rest] = nodes();
    const cache = open({ REDIS_CLUSTER_NODES: [`redis://:${PASSWORD}@${first}`, ...rest].join(',') });
    const keys = Array.from({ length: 30 }, (_, i) => `spread-${i}`);
    expect(await cache.setManyIfAbsent(keys, 60)).toEqual(keys.map(() => true));
    const perMaster = await keysPerMaster();
    expect(perMaster).toHaveLength(3);
    // Every master took writes: each node was logged in, not only the seed.
    for (const count of perMaster) expect(count).toBeGreaterThan(0);

    const viaEnv = open({ REDIS_CLUSTER_NODES: nodes().join(','), REDIS_PASSWORD: PASSWORD });
    expect(await viaEnv.setManyIfAbsent(keys, 60)).toEqual(keys.map(() => false));
    const got: string[] = [];
    const off = await viaEnv.subscribe('chan', (m) => got.push(m));
    await cache.publish('chan', 'across');
    await expect.poll(() => got).toEqual(['across']);
    await off();
    await Promise.all(keys.map((k) => cache.del(k)));
  });

  it('a wrong password fails with a clear CacheError that shows no password', async () => {
    const { logger, lines } = capture();
    const wrong = open({ REDIS_CLUSTER_NODES: nodes().join(','), REDIS_PASSWORD: WRONG }, logger);
    const err = await rejection(wrong.get('k'));
    expect(err).toBeInstanceOf(CacheError);
    expect(err.message).toMatch(/WRONGPASS/);
    expect(await wrong.ping()).toBe(false);
    expect(lines.join('\n')).not.toContain(WRONG);
    expect(everything(err)).not.toContain(WRONG);
  });
});
