import { createDatabases, migrationStates, migrations } from '@nostr-info/shared/db';
import { createTestDatabase, type TestDatabase } from '@nostr-info/shared/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliProcess, type Finished, runCli } from './cli-process.js';

const NAMES = Object.keys(migrations).sort();

async function applied(url: string): Promise<string[]> {
  const dbs = await createDatabases({ databaseUrl: url, poolMax: 1 });
  try {
    return (await migrationStates(dbs.writer)).filter((m) => m.executedAt).map((m) => m.name);
  } finally {
    await dbs.close();
  }
}

/** Migration names a run's log reports as applied. */
function appliedIn(run: Finished | CliProcess): string[] {
  return run.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; status?: string; migration?: string })
    .filter((l) => l.msg === 'migration' && l.status === 'Success')
    .map((l) => String(l.migration));
}

describe('nostr-info migrate', () => {
  const dbs: TestDatabase[] = [];
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((d) => d.drop()));
  });

  it('migrates a fresh database, then finds nothing to do', async () => {
    const db = await createTestDatabase('cli_migrate');
    dbs.push(db);
    const first = await runCli(['migrate'], { DATABASE_URL: db.url });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(appliedIn(first)).toEqual(NAMES);
    expect(await applied(db.url)).toEqual(NAMES);

    const second = await runCli(['migrate'], { DATABASE_URL: db.url });
    expect(second.code).toBe(0);
    expect(appliedIn(second)).toEqual([]);
    expect(second.stdout).toContain('database is up to date');
    expect(await applied(db.url)).toEqual(NAMES);
  });

  it('applies the schema once when two processes migrate the same fresh database at once', async () => {
    const db = await createTestDatabase('cli_migrate_race');
    dbs.push(db);
    const [a, b] = await Promise.all([
      runCli(['migrate'], { DATABASE_URL: db.url }),
      runCli(['migrate'], { DATABASE_URL: db.url }),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect([...appliedIn(a), ...appliedIn(b)].sort()).toEqual(NAMES);
    expect(await applied(db.url)).toEqual(NAMES);
  });

  it('--down reverts the newest migration', async () => {
    const db = await createTestDatabase('cli_migrate_down');
    dbs.push(db);
    expect((await runCli(['migrate'], { DATABASE_URL: db.url })).code).toBe(0);
    const down = await runCli(['migrate', '--down'], { DATABASE_URL: db.url });
    expect(down.code).toBe(0);
    expect(await applied(db.url)).toEqual(NAMES.slice(0, -1));
  });

  it('exits 1 with the reason, and no password, when the database cannot be reached', async () => {
    const run = await runCli(['migrate'], { DATABASE_URL: 'postgres://app:topsecret-pw@127.0.0.1:1/nostr' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('migrations failed');
    expect(run.stderr).toMatch(/ECONNREFUSED/);
    expect(`${run.stdout}${run.stderr}`).not.toContain('topsecret-pw');
  });
});
