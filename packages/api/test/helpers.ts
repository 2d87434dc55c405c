import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { ApiEnv } from '@nostr-info/shared/config';
import type { RoleContext } from '@nostr-info/shared/lifecycle';
import {
  type FullSnapshot,
  SNAPSHOT_CHANNEL,
  SNAPSHOT_TTL_SECONDS,
  snapshotCacheKey,
} from '@nostr-info/shared/stats';
import { type TestRoleContext, testRoleContext } from '@nostr-info/shared/testing';

/** A unique Redis key prefix per test file, so files never see each other's keys. */
export const uniquePrefix = (name: string): string => `test:api:${name}:${randomBytes(4).toString('hex')}:`;

/** The API's role context in tests. */
export type ApiContext = TestRoleContext<'api'>;

export interface ContextOptions {
  databaseUrl: string;
  redisUrl?: string;
  clusterNodes?: string;
  keyPrefix: string;
  env?: Record<string, string>;
}

/** A real role context: Postgres, Redis (single, Cluster, or memory when neither is given). */
export async function makeContext({
  databaseUrl,
  redisUrl,
  clusterNodes,
  keyPrefix,
  env = {},
}: ContextOptions): Promise<ApiContext> {
  const ctx = await testRoleContext('api', {
    env: {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_CLUSTER_NODES: clusterNodes,
      REDIS_KEY_PREFIX: keyPrefix,
      HOST: '127.0.0.1',
      ...env,
    },
    poolMax: 4,
  });
  // Port 0: the OS picks a free port for each server a test starts.
  return { ...ctx, env: { ...ctx.env, PORT: 0 } };
}

/** Writes a snapshot the way the scheduler does: a `statistics_snapshots` row and/or `stats:<range>`. */
export async function seedSnapshot(
  ctx: RoleContext<ApiEnv>,
  snapshot: FullSnapshot,
  {
    cache = true,
    database = true,
    publish = false,
  }: { cache?: boolean; database?: boolean; publish?: boolean } = {},
): Promise<void> {
  const json = JSON.stringify(snapshot);
  if (database) {
    await ctx.dbs.writer
      .insertInto('statistics_snapshots')
      .values({ range: snapshot.range, computed_at: snapshot.computed_at, duration_ms: 5, body: json })
      .execute();
  }
  if (cache) await ctx.cache.set(snapshotCacheKey(snapshot.range), json, SNAPSHOT_TTL_SECONDS);
  if (publish) {
    await ctx.cache.publish(
      SNAPSHOT_CHANNEL,
      JSON.stringify({ computed_at: snapshot.computed_at, ranges: [snapshot.range] }),
    );
  }
}

/** An API running in its own process (see `serve-api.ts`). */
export interface ApiProcess {
  port: number;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `serve-api.ts` in a child process and waits for it to listen. */
export function spawnApi(
  env: Record<string, string>,
  options: Record<string, unknown> = {},
): Promise<ApiProcess> {
  const script = fileURLToPath(new URL('./serve-api.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify({ env, options })], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onExit = (code: number | null) => reject(new Error(`API process exited early (${code})`));
    child.once('exit', onExit);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY (\d+)/.exec(out);
      if (!match) return;
      child.off('exit', onExit);
      const port = Number(match[1]);
      resolve({
        port,
        url: `http://127.0.0.1:${port}`,
        child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
