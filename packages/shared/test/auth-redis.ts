import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, vi } from 'vitest';

const run = promisify(execFile);
const HOST = '127.0.0.1';

/** True when nothing listens on `port` of the loopback address. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

/**
 * `count` consecutive free loopback ports below 22768, so that each port + 10000 (a Cluster node's
 * bus port) is free as well and stays below the ephemeral range (32768+).
 */
export async function freePorts(count: number): Promise<number[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 20000 + Math.floor(Math.random() * (2768 - count));
    const ports = Array.from({ length: count }, (_, i) => base + i);
    const checks = await Promise.all(ports.flatMap((p) => [portFree(p), portFree(p + 10000)]));
    if (checks.every(Boolean)) return ports;
  }
  throw new Error(`no ${count} free loopback ports found`);
}

async function cli(port: number, password: string, ...args: string[]): Promise<string> {
  // REDISCLI_AUTH keeps the password off the command line (and out of `ps`).
  const { stdout } = await run('redis-cli', ['-h', HOST, '-p', String(port), ...args], {
    env: { ...process.env, REDISCLI_AUTH: password },
    timeout: 30_000,
  });
  return stdout.trim();
}

/** A server just started or a cluster just created: how long to wait for it to answer. */
const STARTUP = { timeout: 20_000, interval: 100 };

/** Password-protected Redis servers started by a test, stopped by `stop()`. */
export interface AuthRedis {
  ports: number[];
  password: string;
  stop(): Promise<void>;
}

async function startServers(ports: number[], password: string, extra: string[]): Promise<AuthRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'nostr-info-auth-redis-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          HOST,
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--requirepass',
          password,
          ...extra,
        ],
        { stdio: 'ignore' },
      );
      children.push(child);
      await vi.waitFor(async () => expect(await cli(port, password, 'ping')).toBe('PONG'), STARTUP);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { ports, password, stop };
}

/**
 * One Redis server on a free loopback port that requires `password` for the default user and
 * has an ACL user `aclUser` with password `aclPassword`.
 */
export async function startAuthRedis(
  password: string,
  aclUser: string,
  aclPassword: string,
): Promise<AuthRedis> {
  const [port = 0] = await freePorts(1);
  const servers = await startServers([port], password, []);
  await cli(port, password, 'acl', 'setuser', aclUser, 'on', `>${aclPassword}`, '~*', '&*', '+@all');
  return servers;
}

/** A three-master Redis Cluster (no replicas) whose nodes all require `password`. */
export async function startAuthCluster(password: string): Promise<AuthRedis> {
  const ports = await freePorts(3);
  const servers = await startServers(ports, password, [
    '--cluster-enabled',
    'yes',
    '--cluster-node-timeout',
    '2000',
    '--masterauth',
    password,
  ]);
  try {
    await cli(
      ports[0] ?? 0,
      password,
      '--cluster',
      'create',
      ...ports.map((p) => `${HOST}:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    );
    for (const port of ports) {
      await vi.waitFor(
        async () => expect(await cli(port, password, 'cluster', 'info')).toContain('cluster_state:ok'),
        STARTUP,
      );
    }
  } catch (err) {
    await servers.stop();
    throw err;
  }
  return servers;
}
