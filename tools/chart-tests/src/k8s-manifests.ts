import { parseManifests, RELEASE, renderText } from './helm.js';

/** One file of the plain manifests. */
export interface ManifestFile {
  name: string;
  content: string;
}

const HEADER = [
  '# Generated from charts/nostr-info with its default values by scripts/chart/render-k8s.sh.',
  '# Do not edit: change the chart (or its values) and regenerate; CI fails when this drifts.',
].join('\n');

/**
 * The chart's defaults as plain manifests, one object per file named `<kind>-<name>.yaml`, plus a
 * kustomization listing them in Helm's install order (hooks such as the migration Job last). The test pod is left
 * out. The kustomization is named `Kustomization` (a name kustomize reads) rather than
 * `kustomization.yaml`, so `kubectl apply -f k8s/` does not try to apply it as an object.
 */
export function renderK8sManifests(): ManifestFile[] {
  const text = renderText({ args: ['--skip-tests'] });
  const chunks = text
    .split(/^---\s*$/m)
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
  const files: ManifestFile[] = [];
  for (const chunk of chunks) {
    const [object] = parseManifests(chunk);
    if (!object) continue;
    const name = `${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
    const body = chunk.replace(/^# Source: .*\n/m, '');
    files.push({ name, content: `${HEADER}\n${body}\n` });
  }
  const kustomization = [
    HEADER,
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    `namespace: ${RELEASE.namespace}`,
    'resources:',
    ...files.map((f) => `  - ${f.name}`),
    '',
  ].join('\n');
  return [...files, { name: 'Kustomization', content: kustomization }];
}
