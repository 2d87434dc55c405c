#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { redactText } from '@nostr-info/shared/config';
import { backfillCommand } from './commands/backfill.js';
import { parseBackfillArgs } from './commands/backfill-args.js';
import { HELP, helpFor } from './commands/help.js';
import { migrateCommand } from './commands/migrate.js';
import { allInOneCommand, apiCommand, collectorCommand, schedulerRunCommand } from './commands/roles.js';
import { ExitError } from './runtime.js';

function usageError(message: string, help: string): never {
  process.stderr.write(`nostr-info: ${message}\n\n${help}\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: { help: { type: 'boolean', short: 'h' }, down: { type: 'boolean' } },
  });
  const [command, sub] = positionals;
  const help = helpFor(command);
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return;
  }
  if (command === 'backfill') {
    // Its own flags, parsed strictly: a mistyped bound must not start an unbounded run.
    const parsed = parseBackfillArgs(argv.slice(argv.indexOf('backfill') + 1), Math.floor(Date.now() / 1000));
    if ('problems' in parsed) usageError(parsed.problems.join('\n'), help);
    return backfillCommand(parsed.args);
  }
  const known = new Set(['help', 'down']);
  const unknown = Object.keys(values).filter((k) => !known.has(k));
  if (unknown.length > 0) usageError(`unknown option ${unknown.map((k) => `--${k}`).join(', ')}`, help);
  switch (command) {
    case 'all-in-one':
      return allInOneCommand();
    case 'collector':
      return collectorCommand();
    case 'api':
      return apiCommand();
    case 'scheduler':
      if (sub !== 'run') usageError(sub ? `unknown scheduler command "${sub}"` : 'missing "run"', help);
      return schedulerRunCommand();
    case 'migrate':
      return migrateCommand({ down: values.down === true });
    case 'help':
      process.stdout.write(`${helpFor(sub)}\n`);
      return;
    case undefined:
      process.stdout.write(`${HELP.main}\n`);
      return;
    default:
      usageError(`unknown command "${command}"`, HELP.main ?? '');
  }
}

main(process.argv.slice(2)).then(
  () => {
    // Every role has stopped: a handle a library left open must not keep the process alive.
    setTimeout(() => process.exit(), 5000).unref();
  },
  (err: unknown) => {
    const code = err instanceof ExitError ? err.exitCode : 1;
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    // Driver errors may quote a connection string: mask credentials before printing.
    process.stderr.write(
      redactText(`nostr-info: ${err instanceof Error ? err.message : String(err)}${cause}\n`),
    );
    process.exit(code);
  },
);
