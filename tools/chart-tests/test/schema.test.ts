import { describe, expect, it } from 'vitest';
import { ciValuesFiles, findOne, type K8sObject, render, renderCi } from '../src/helm.js';
import { validateAll, validateObject } from '../src/validate/kubernetes.js';

const cases = [
  { name: 'default values', objects: () => render() },
  ...ciValuesFiles().map((ci) => ({ name: ci.name, objects: () => renderCi(ci) })),
];

describe('every rendered object matches its Kubernetes or CRD schema, with no unknown field', () => {
  it('has ci values files for a minimal and a full-HA install', () => {
    const names = ciValuesFiles().map((c) => c.name);
    expect(names).toContain('minimal-values');
    expect(names).toContain('full-ha-values');
  });

  for (const c of cases) {
    it(c.name, () => {
      const objects = c.objects();
      expect(objects.length).toBeGreaterThan(10);
      expect(validateAll(objects)).toEqual([]);
    });
  }

  it('validates the CRD objects too (ServiceMonitor, PrometheusRule, Cluster)', () => {
    const ci = ciValuesFiles().find((c) => c.name === 'full-ha-values');
    if (!ci) throw new Error('full-ha-values missing');
    const kinds = new Set(renderCi(ci).map((o) => o.kind));
    for (const kind of ['ServiceMonitor', 'PrometheusRule', 'Cluster', 'Ingress', 'NetworkPolicy']) {
      expect(kinds).toContain(kind);
    }
  });
});

describe('the validator itself', () => {
  const statefulSet = () => structuredClone(findOne(render(), 'StatefulSet', '-collector'));

  it('reports an unknown field at any depth', () => {
    const sts = statefulSet();
    sts.spec.podManagmentPolicy = 'Parallel';
    sts.spec.template.spec.containers[0].envv = [];
    expect(
      validateObject(sts)
        .map((p) => p.message)
        .sort(),
    ).toEqual(
      [
        'unknown field /spec/podManagmentPolicy',
        'unknown field /spec/template/spec/containers/0/envv',
      ].sort(),
    );
  });

  it('reports a wrong type and a wrong enum value', () => {
    const sts = statefulSet();
    sts.spec.replicas = 'three';
    expect(validateObject(sts)[0]?.message).toMatch(/replicas must be integer/);
    const other = statefulSet();
    other.spec.podManagementPolicy = 'Sometimes';
    expect(validateObject(other)[0]?.message).toMatch(/allowed values/);
  });

  it('accepts free keys in maps (labels, ConfigMap data)', () => {
    const sts = statefulSet();
    sts.metadata.labels = { ...sts.metadata.labels, anything: 'goes' };
    expect(validateObject(sts)).toEqual([]);
  });

  it('reports unknown fields in the CloudNativePG Cluster and unknown kinds', () => {
    const cluster: K8sObject = {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: 'pg' },
      spec: { instances: 3, storage: { size: '1Gi' }, replicas: 2 },
    };
    expect(validateObject(cluster)[0]?.message).toMatch(/must NOT have additional properties/);
    const unknown: K8sObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(validateObject(unknown)[0]?.message).toMatch(/no schema/);
  });
});
