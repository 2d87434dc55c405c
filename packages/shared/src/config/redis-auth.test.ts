import { describe, expect, it } from 'vitest';
import { loadEnv } from './env.js';
import { EnvError } from './env-error.js';
import { redisCredentials } from './redis-auth.js';

const SECRET = 'Pa55-w0rd-xyz';

function problemsOf(source: Record<string, string>): EnvError {
  try {
    loadEnv('api', source);
  } catch (err) {
    if (err instanceof EnvError) return err;
    throw err;
  }
  throw new Error('expected loadEnv to fail');
}

describe('Redis credentials in the env', () => {
  it('reads REDIS_CLUSTER_NODES entries written as redis:// URLs, credentials decoded', () => {
    const env = loadEnv('api', {
      REDIS_CLUSTER_NODES: `redis://app:p%40ss%3Aw@10.0.0.1:7000, 10.0.0.2:7001,redis://[::1]`,
    });
    expect(env.REDIS_CLUSTER_NODES).toEqual([
      { host: '10.0.0.1', port: 7000, username: 'app', password: 'p@ss:w' },
      { host: '10.0.0.2', port: 7001 },
      { host: '::1', port: 6379 },
    ]);
    expect(redisCredentials(env)).toEqual({ username: 'app', password: 'p@ss:w' });
  });

  it('takes REDIS_USERNAME / REDIS_PASSWORD for every node', () => {
    const env = loadEnv('api', {
      REDIS_CLUSTER_NODES: 'a:7000,b:7001',
      REDIS_USERNAME: 'app',
      REDIS_PASSWORD: SECRET,
    });
    expect(redisCredentials(env)).toEqual({ username: 'app', password: SECRET });
    expect(redisCredentials(loadEnv('api', { REDIS_URL: 'redis://r:6379' }))).toEqual({});
    expect(redisCredentials(loadEnv('api', { REDIS_PASSWORD: SECRET }))).toEqual({ password: SECRET });
  });

  it('refuses credentials given twice, different per node, or a user without a password', () => {
    const twice = problemsOf({ REDIS_URL: `redis://:${SECRET}@r:6379`, REDIS_PASSWORD: SECRET });
    expect(twice.problems.map((p) => p.name)).toEqual(['REDIS_PASSWORD']);
    expect(twice.problems[0]?.expected).toMatch(/one place/);
    const twiceCluster = problemsOf({ REDIS_CLUSTER_NODES: `redis://:${SECRET}@a:1`, REDIS_USERNAME: 'u' });
    expect(twiceCluster.problems.map((p) => p.name)).toEqual(['REDIS_USERNAME']);
    const differ = problemsOf({ REDIS_CLUSTER_NODES: `redis://:${SECRET}@a:1,redis://:other-${SECRET}@b:2` });
    expect(differ.problems[0]?.expected).toMatch(/different credentials/);
    const userOnly = problemsOf({ REDIS_URL: 'redis://r:6379', REDIS_USERNAME: 'app' });
    expect(userOnly.problems[0]?.expected).toMatch(/needs REDIS_PASSWORD/);
  });

  it('never shows a password in the exit-2 message', () => {
    const errors = [
      problemsOf({ REDIS_URL: `redis://:${SECRET}@r:6379`, REDIS_PASSWORD: SECRET }),
      problemsOf({ REDIS_CLUSTER_NODES: `redis://:${SECRET}@a:1,redis://:other-${SECRET}@b:2` }),
      problemsOf({ REDIS_CLUSTER_NODES: `redis://:${SECRET}@a:1,b` }),
      problemsOf({ REDIS_CLUSTER_NODES: `redis://:${SECRET}@a:1/0` }),
      problemsOf({ REDIS_CLUSTER_NODES: `user:${SECRET}@a:1` }),
      problemsOf({
        REDIS_PASSWORD: SECRET,
        REDIS_USERNAME: 'u',
        PORT: 'x',
        REDIS_URL: `redis://u:${SECRET}@r`,
      }),
    ];
    for (const err of errors) {
      expect(err.problems.length).toBeGreaterThan(0);
      expect(err.message).not.toContain(SECRET);
      expect(JSON.stringify(err.problems)).not.toContain(SECRET);
    }
    expect(errors[0]?.problems[0]?.given).toBe('"***"');
  });
});
