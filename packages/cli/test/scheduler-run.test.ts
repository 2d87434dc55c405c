import { createDatabases } from '@nostr-info/shared/db';
import { createTestDatabase, type TestDatabase } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';

describe('nostr-info scheduler run', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('cli_scheduler');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('exits 0 after one run on a migrated database and leaves a snapshot per range', async () => {
    expect((await runCli(['migrate'], { DATABASE_URL: db.url })).code).toBe(0);
    const run = await runCli(['scheduler', 'run'], { DATABASE_URL: db.url });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const dbs = await createDatabases({ databaseUrl: db.url, poolMax: 1 });
    try {
      const rows = await dbs.reader.selectFrom('statistics_snapshots').select('range').execute();
      expect(rows.map((r) => r.range).sort()).toEqual(['24h', '30d', '7d', '90d', 'all']);
    } finally {
      await dbs.close();
    }
  });

  it('reads from the primary when the read replica is unreachable, and still succeeds', async () => {
    const run = await runCli(['scheduler', 'run'], {
      DATABASE_URL: db.url,
      DATABASE_READ_URL: 'postgres://postgres@127.0.0.1:1/replica',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('read replica unreachable; reading from the primary');
  });

  it('exits non-zero when the run cannot work (database unreachable)', async () => {
    const run = await runCli(['scheduler', 'run'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
  });
});
