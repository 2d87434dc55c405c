import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this package lives in `tools/chart-tests`). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The chart under test. */
export const CHART_DIR = join(REPO_ROOT, 'charts/nostr-info');
/** Plain manifests rendered from the chart's defaults. */
export const K8S_DIR = join(REPO_ROOT, 'k8s');
/** The metrics catalogue every dashboard and alert must stay within. */
export const METRICS_DOC = join(REPO_ROOT, 'docs/metrics.md');
/** Runbooks linked from the alerts. */
export const RUNBOOKS_DIR = join(REPO_ROOT, 'docs/runbooks');
/** Project-local Helm installed by `scripts/chart/install-helm.sh`. */
export const HELM_BIN = join(REPO_ROOT, '.tools/bin/helm');

/** Thrown when a tool the checks need is not installed. */
export class MissingToolError extends Error {
  override name = 'MissingToolError';
}

/** Path of the Helm binary, or an error saying how to install it. */
export function helmBinary(): string {
  if (!existsSync(HELM_BIN)) {
    throw new MissingToolError(`helm not found at ${HELM_BIN}: run bash scripts/chart/install-helm.sh`);
  }
  return HELM_BIN;
}
