import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { replaceEnvTable } from './env-doc.js';

/**
 * Rewrites the configuration table of the root README.md from the env schemas; with `--check`,
 * writes nothing and exits 1 when the table differs. Run as
 * `pnpm --filter @nostr-info/shared env-doc [-- --check]` (it builds the package first).
 */
const readmePath = fileURLToPath(new URL('../../../../README.md', import.meta.url));
const check = process.argv.includes('--check');
const current = readFileSync(readmePath, 'utf8');
const wanted = replaceEnvTable(current);
if (current === wanted) {
  process.stdout.write('README.md configuration table up to date\n');
} else if (check) {
  process.stderr.write(
    'README.md configuration table out of date (run: pnpm --filter @nostr-info/shared env-doc)\n',
  );
  process.exit(1);
} else {
  writeFileSync(readmePath, wanted);
  process.stdout.write('README.md configuration table updated\n');
}
