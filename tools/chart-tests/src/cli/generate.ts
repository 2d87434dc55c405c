import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { chartDocs, type GeneratedFile, k8sFiles, staleK8sFiles } from '../generated.js';
import { REPO_ROOT } from '../paths.js';

/**
 * Writes the chart README, values.schema.json and k8s/ from the chart; with `--check`, writes
 * nothing and exits 1 listing every file that differs (CI's drift check).
 */
const check = process.argv.includes('--check');
const drifted: string[] = [];
let total = 0;
function update(files: GeneratedFile[]): void {
  for (const file of files) {
    total += 1;
    const current = existsSync(file.path) ? readFileSync(file.path, 'utf8') : undefined;
    if (current === file.content) continue;
    drifted.push(relative(REPO_ROOT, file.path));
    if (!check) {
      mkdirSync(dirname(file.path), { recursive: true });
      writeFileSync(file.path, file.content);
    }
  }
}
// values.schema.json first: Helm validates the values against it when rendering k8s/.
update(chartDocs());
update(k8sFiles());
for (const stale of staleK8sFiles()) {
  drifted.push(`${relative(REPO_ROOT, stale)} (no longer rendered)`);
  if (!check) rmSync(stale);
}
if (check && drifted.length > 0) {
  console.error(
    `generated files out of date (run: pnpm --filter @nostr-info/chart-tests gen):\n  ${drifted.join('\n  ')}`,
  );
  process.exit(1);
}
console.log(check ? `generated files up to date (${total})` : `updated ${drifted.length} generated file(s)`);
