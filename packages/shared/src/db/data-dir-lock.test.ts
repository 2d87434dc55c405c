import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.js';

describe('lockDataDir', () => {
  const dirs: string[] = [];
  const lockFile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'nostr-info-lock-'));
    dirs.push(dir);
    return join(dir, 'pglite.lock');
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('writes this pid and removes the file on release', () => {
    const file = lockFile();
    const release = lockDataDir(file);
    expect(readFileSync(file, 'utf8').trim()).toBe(String(process.pid));
    release();
    expect(existsSync(file)).toBe(false);
  });

  it('refuses while another live process holds it, and takes it over once that process is gone', async () => {
    const file = lockFile();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(file, `${other.pid}\n`);
      expect(() => lockDataDir(file)).toThrow(DataDirLockedError);
      expect(() => lockDataDir(file)).toThrow(`in use by process ${other.pid}`);
    } finally {
      other.kill('SIGKILL');
      await once(other, 'exit');
    }
    const release = lockDataDir(file);
    expect(readFileSync(file, 'utf8').trim()).toBe(String(process.pid));
    release();
  });

  it('takes over a lock with garbage in it', () => {
    const file = lockFile();
    writeFileSync(file, 'not a pid');
    lockDataDir(file)();
    expect(existsSync(file)).toBe(false);
  });
});
