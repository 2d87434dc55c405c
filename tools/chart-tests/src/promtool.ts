import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { findOne, render } from './helm.js';
import { MissingToolError, REPO_ROOT } from './paths.js';

/** promtool unit tests of the alerts, one file per alert. */
export const RULE_TESTS_DIR = join(REPO_ROOT, 'scripts/chart/rule-tests');

/** Result of one promtool run. */
export interface PromtoolResult {
  status: number;
  output: string;
}

function promtool(args: string[], cwd: string): PromtoolResult {
  const result = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
  if (result.error) {
    throw new MissingToolError(
      `promtool not runnable (${result.error.message}): run bash scripts/chart/install-promtool.sh`,
    );
  }
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

/** The PrometheusRule's groups as a plain Prometheus rules file. */
export function renderedRulesFile(set: string[] = []): string {
  const objects = render({
    set: ['metrics.prometheusRule.enabled=true', ...set],
    args: ['--api-versions', 'monitoring.coreos.com/v1'],
  });
  return stringify({ groups: findOne(objects, 'PrometheusRule').spec.groups }, { lineWidth: 0 });
}

/** A temp dir holding `rules.yaml` and every rule test file (they name `rules.yaml`). */
export function ruleWorkspace(rulesYaml: string): { dir: string; tests: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'nostr-info-rules-'));
  writeFileSync(join(dir, 'rules.yaml'), rulesYaml);
  const tests = readdirSync(RULE_TESTS_DIR)
    .filter((f) => f.endsWith('.test.yaml'))
    .sort();
  for (const t of tests) copyFileSync(join(RULE_TESTS_DIR, t), join(dir, t));
  return { dir, tests };
}

/** `promtool check rules rules.yaml`. */
export function checkRules(dir: string): PromtoolResult {
  return promtool(['check', 'rules', 'rules.yaml'], dir);
}

/** `promtool test rules <file>`. */
export function testRules(dir: string, file: string): PromtoolResult {
  return promtool(['test', 'rules', file], dir);
}
