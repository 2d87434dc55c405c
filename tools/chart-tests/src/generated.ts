import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderK8sManifests } from './k8s-manifests.js';
import { CHART_DIR, K8S_DIR } from './paths.js';
import { readValuesDocs, renderReadme, renderSchema } from './values-doc.js';

/** A generated file: where it goes and what it must contain. */
export interface GeneratedFile {
  path: string;
  content: string;
}

/** Chart README and values.schema.json, generated from values.yaml. */
export function chartDocs(): GeneratedFile[] {
  const valuesText = readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8');
  const docs = readValuesDocs(valuesText);
  const template = readFileSync(join(CHART_DIR, 'README.tmpl.md'), 'utf8');
  const schema = renderSchema(docs, parse(valuesText));
  return [
    { path: join(CHART_DIR, 'README.md'), content: renderReadme(template, docs) },
    { path: join(CHART_DIR, 'values.schema.json'), content: `${JSON.stringify(schema, null, 2)}\n` },
  ];
}

/** The plain manifests under k8s/. */
export function k8sFiles(): GeneratedFile[] {
  return renderK8sManifests().map((f) => ({ path: join(K8S_DIR, f.name), content: f.content }));
}

/** Files under k8s/ that the chart no longer renders. */
export function staleK8sFiles(): string[] {
  const wanted = new Set(k8sFiles().map((f) => f.path));
  let present: string[] = [];
  try {
    present = readdirSync(K8S_DIR).map((f) => join(K8S_DIR, f));
  } catch {
    return [];
  }
  return present.filter((p) => !wanted.has(p));
}
