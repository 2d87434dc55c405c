import { describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';

describe('a bad environment', () => {
  it('PORT=abc REDIS_CLUSTER_NODES=nohost nostr-info api exits 2 naming both problems', async () => {
    const { code, stdout, stderr } = await runCli(['api'], { PORT: 'abc', REDIS_CLUSTER_NODES: 'nohost' });
    expect(code).toBe(2);
    expect(stderr).toContain('invalid configuration for "api" (2 problems)');
    expect(stderr).toMatch(/- PORT: expected an integer between 1 and 65535 \(given: "abc"\)/);
    expect(stderr).toMatch(/- REDIS_CLUSTER_NODES: expected host:port.*\(given: "nohost"\)/);
    // Nothing started: no log lines.
    expect(stdout).toBe('');
  });

  it.each(['all-in-one', 'collector', 'migrate'])(
    '%s exits 2 and never prints a password',
    async (command) => {
      const { code, stderr, stdout } = await runCli([command], {
        DATABASE_URL: 'mysql://admin:topsecret-pw@db.example:3306/x',
        LOG_LEVEL: 'chatty',
      });
      expect(code).toBe(2);
      expect(stderr).toContain('DATABASE_URL');
      expect(stderr).toContain('LOG_LEVEL');
      expect(stderr).toContain('db.example');
      expect(`${stdout}${stderr}`).not.toContain('topsecret-pw');
    },
  );

  it('scheduler run exits 2 on a bad setting too', async () => {
    const { code, stderr } = await runCli(['scheduler', 'run'], { PUSHGATEWAY_URL: 'not a url' });
    expect(code).toBe(2);
    expect(stderr).toContain('PUSHGATEWAY_URL');
  });
});
