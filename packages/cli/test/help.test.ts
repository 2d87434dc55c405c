import { describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';

/** Each command, a setting that only (or typically) it reads, and its default. */
const COMMANDS: [string[], string, string][] = [
  [['all-in-one'], 'STATS_INTERVAL_SECONDS', 'default 300'],
  [['collector'], 'FLUSH_INTERVAL_MS', 'default 10000'],
  [['scheduler', 'run'], 'PUSHGATEWAY_URL', '(unset)'],
  [['api'], 'RATE_LIMIT_WINDOW_SECONDS', 'default 900'],
  [['migrate'], 'DATABASE_URL', '(unset)'],
];

describe('nostr-info --help', () => {
  it('prints the command list and exits 0', async () => {
    for (const args of [['--help'], ['-h'], []]) {
      const { code, stdout, stderr } = await runCli(args);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      for (const command of ['all-in-one', 'collector', 'scheduler run', 'api', 'migrate']) {
        expect(stdout).toContain(command);
      }
    }
  });

  it.each(COMMANDS)('%j --help explains the command and lists its settings', async (args, setting, dflt) => {
    const { code, stdout, stderr } = await runCli([...args, '--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(`Usage: nostr-info ${args.join(' ')}`);
    expect(stdout).toContain('Settings (environment variables):');
    expect(stdout).toMatch(new RegExp(`\\n  ${setting} +${dflt.replace(/[()]/g, '\\$&')}\\n`));
    // Every command names the settings all of them share.
    for (const common of ['LOG_LEVEL', 'DATABASE_URL', 'DATA_DIR']) expect(stdout).toContain(common);
  });

  it('lists only the settings a command reads', async () => {
    const migrate = await runCli(['migrate', '--help']);
    expect(migrate.stdout).not.toContain('PORT');
    expect(migrate.stdout).not.toContain('REDIS_URL');
    const api = await runCli(['api', '--help']);
    expect(api.stdout).toMatch(/\n {2}PORT +default 3000\n/);
    expect(api.stdout).not.toContain('FLUSH_INTERVAL_MS');
  });

  it('"help <command>" is the same as "<command> --help"', async () => {
    const a = await runCli(['help', 'collector']);
    const b = await runCli(['collector', '--help']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('refuses an unknown command or option with exit 2 and the usage', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect(unknown.stderr).toContain('Usage: nostr-info <command>');
    const option = await runCli(['api', '--verbose']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('unknown option --verbose');
    const scheduler = await runCli(['scheduler']);
    expect(scheduler.code).toBe(2);
    expect(scheduler.stderr).toContain('missing "run"');
  });
});
