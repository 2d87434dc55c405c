import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../src/paths.js';

/**
 * Installs Helm (project-local) and promtool when missing, so `pnpm test` of this package works
 * on a fresh machine as well as from scripts/chart/check.sh. Both scripts return at once when the
 * tool is there.
 */
export default function setup(): void {
  for (const script of ['install-helm.sh', 'install-promtool.sh']) {
    execFileSync('bash', [join(REPO_ROOT, 'scripts/chart', script)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
}
