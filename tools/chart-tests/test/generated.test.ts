import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartDocs, k8sFiles, staleK8sFiles } from '../src/generated.js';
import { parseManifests, render, renderText } from '../src/helm.js';
import { CHART_DIR, REPO_ROOT } from '../src/paths.js';
import { validateAll } from '../src/validate/kubernetes.js';
import { readValuesDocs, renderSchema, undocumentedLeaves } from '../src/values-doc.js';

const read = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '(missing)';
  }
};

describe('generated files are up to date (regenerate: bash scripts/chart/render-k8s.sh)', () => {
  for (const file of chartDocs()) {
    it(file.path.slice(REPO_ROOT.length + 1), () => {
      expect(read(file.path) === file.content, `${file.path} drifted from values.yaml`).toBe(true);
    });
  }

  it('k8s/ matches the chart rendered with its defaults', () => {
    const drifted = k8sFiles()
      .filter((f) => read(f.path) !== f.content)
      .map((f) => f.path);
    expect(drifted).toEqual([]);
    expect(staleK8sFiles()).toEqual([]);
  });

  it('k8s/ objects are valid, and the Kustomization lists every file', () => {
    const files = k8sFiles();
    const kustomization = files.find((f) => f.path.endsWith('Kustomization'));
    const manifests = files.filter((f) => f.path.endsWith('.yaml'));
    expect(validateAll(manifests.flatMap((f) => parseManifests(f.content)))).toEqual([]);
    for (const f of manifests) expect(kustomization?.content).toContain(`  - ${f.path.split('/').at(-1)}`);
    expect(manifests.some((f) => f.content.includes('kind: Pod\n'))).toBe(false);
    // One file per object: no two objects share a file name.
    expect(manifests).toHaveLength(parseManifests(renderText({ args: ['--skip-tests'] })).length);
  });
});

describe('values documentation', () => {
  const text = readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8');

  it('every value is documented with a "# --" comment (itself or a parent)', () => {
    expect(undocumentedLeaves(text)).toEqual([]);
  });

  it('the reader finds an undocumented value', () => {
    expect(undocumentedLeaves(`${text}\nsurprise:\n  value: 1\n`)).toEqual(['surprise.value']);
  });

  it('helm rejects a misspelt value, a wrong type and an out-of-range value', () => {
    expect(() => render({ set: ['collector.replica=3'] })).toThrow(
      /additional properties 'replica' not allowed/,
    );
    expect(() => render({ set: ['api.autoscaling.enabled=maybe'] })).toThrow(/autoscaling\/enabled/);
    expect(() => render({ set: ['collector.replicas=0'] })).toThrow(/minimum/);
  });

  it('renders for the oldest supported Kubernetes (1.27) and refuses older ones', () => {
    expect(render({ args: ['--kube-version', '1.27.0'] }).length).toBeGreaterThan(10);
    expect(() => render({ args: ['--kube-version', '1.26.9'] })).toThrow(/kubeVersion/);
  });

  it('the schema rejects unknown keys and follows @schema hints', () => {
    const schema = renderSchema(readValuesDocs(text), {}) as { additionalProperties: boolean };
    expect(schema.additionalProperties).toBe(false);
    const collector = readValuesDocs(text).find((d) => d.key === 'collector.replicas');
    expect(collector?.hints).toEqual({ minimum: 1, maximum: 1024 });
  });
});

describe('the chart copy of the seed relay list', () => {
  it('equals the bundled seed list', () => {
    const shared = readFileSync(join(REPO_ROOT, 'packages/shared/assets/seed-relays.txt'), 'utf8');
    expect(readFileSync(join(CHART_DIR, 'files/seed-relays.txt'), 'utf8')).toBe(shared);
  });
});
