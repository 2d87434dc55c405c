import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CHART_DIR, helmBinary } from './paths.js';

/** A rendered Kubernetes object (loosely typed: the checks walk arbitrary fields). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are checked by schema, not by type.
  [field: string]: any;
}

/** Thrown when `helm template` fails. */
export class HelmRenderError extends Error {
  override name = 'HelmRenderError';
}

/** Release name and namespace every check renders with. */
export const RELEASE = { name: 'nostr-info', namespace: 'nostr-info' } as const;

/** A `ci/*-values.yaml` file and the extra helm arguments from its `# helm-args:` line. */
export interface CiValues {
  name: string;
  file: string;
  args: string[];
}

/** Every `ci/*-values.yaml` of the chart. */
export function ciValuesFiles(): CiValues[] {
  const dir = join(CHART_DIR, 'ci');
  return readdirSync(dir)
    .filter((f) => f.endsWith('-values.yaml'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const line = readFileSync(file, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('# helm-args:'));
      const args = line ? line.slice('# helm-args:'.length).trim().split(/\s+/).filter(Boolean) : [];
      return { name: basename(f, '.yaml'), file, args };
    });
}

/** Options of one render. */
export interface RenderOptions {
  valuesFiles?: string[];
  set?: string[];
  args?: string[];
}

/** Runs `helm template` and returns its text output. */
export function renderText(options: RenderOptions = {}): string {
  const argv = ['template', RELEASE.name, CHART_DIR, '--namespace', RELEASE.namespace];
  for (const f of options.valuesFiles ?? []) argv.push('--values', f);
  for (const s of options.set ?? []) argv.push('--set', s);
  argv.push(...(options.args ?? []));
  const result = spawnSync(helmBinary(), argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new HelmRenderError(`helm ${argv.join(' ')} failed:\n${result.stderr}`);
  }
  return result.stdout;
}

/** Parses multi-document YAML into objects, skipping empty documents. */
export function parseManifests(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new HelmRenderError(`invalid YAML: ${doc.errors[0]?.message}`);
    const value = doc.toJS() as K8sObject | null;
    if (value) objects.push(value);
  }
  return objects;
}

/** Renders the chart and parses the objects. */
export function render(options: RenderOptions = {}): K8sObject[] {
  return parseManifests(renderText(options));
}

/** Renders the chart with one ci values file. */
export function renderCi(ci: CiValues): K8sObject[] {
  return render({ valuesFiles: [ci.file], args: ci.args });
}

/** The one object of a kind whose name ends with `suffix`. */
export function findOne(objects: K8sObject[], kind: string, suffix = ''): K8sObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name.endsWith(suffix));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} named *${suffix}, found ${found.length}`);
  }
  return found[0] as K8sObject;
}
