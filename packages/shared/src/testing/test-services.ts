import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';

/**
 * Where the real services used by tests live. Defaults are this machine kind's services and the
 * loopback clusters started by `scripts/services/*.sh`; each can be overridden by env.
 */
const testEnvSchema = z.object({
  TEST_PG_ADMIN_URL: z.string().default('postgres://postgres@127.0.0.1:5432/postgres'),
  TEST_PG_PRIMARY_URL: z.string().default('postgres://postgres@127.0.0.1:5433/postgres'),
  TEST_PG_REPLICA_URL: z.string().default('postgres://postgres@127.0.0.1:5434/postgres'),
  TEST_REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  TEST_REDIS_CLUSTER_NODES: z.string().default('127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002'),
});

export type TestServices = z.infer<typeof testEnvSchema>;

/** Test service locations (reads `TEST_*` variables; test code only). */
export function testServices(source: NodeJS.ProcessEnv = process.env): TestServices {
  return testEnvSchema.parse(source);
}

/** `host:port,…` → ioredis cluster seed nodes. */
export function parseNodes(list: string): { host: string; port: number }[] {
  return list.split(',').map((part) => {
    const [host = '127.0.0.1', port = '0'] = part.trim().split(':');
    return { host, port: Number(port) };
  });
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Creates a fresh, empty database named `<prefix>_<random>` on a real server (default: the
 * machine's PostgreSQL) and returns its URL; `drop()` removes it. Tests never share one.
 */
export async function createTestDatabase(
  prefix: string,
  adminUrl: string = testServices().TEST_PG_ADMIN_URL,
): Promise<TestDatabase> {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
