import { describe, expect, it } from 'vitest';
import { ciValuesFiles, type K8sObject, render, renderCi } from '../src/helm.js';
import { podLabelsOf, podSpecOf, selectorsOf } from '../src/inspect.js';

const SELECTOR_KEYS = ['app.kubernetes.io/component', 'app.kubernetes.io/instance', 'app.kubernetes.io/name'];

function selectorsByObject(objects: K8sObject[]): Map<string, Record<string, string>[]> {
  return new Map(objects.map((o) => [`${o.kind}/${o.metadata.name}`, selectorsOf(o)]));
}

describe('selectors are fixed, never merged with user labels', () => {
  const hostile = [
    'commonLabels.app\\.kubernetes\\.io/name=evil',
    'commonLabels.app\\.kubernetes\\.io/component=evil',
    'commonLabels.team=nostr',
    'collector.podLabels.app\\.kubernetes\\.io/instance=evil',
    'collector.podLabels.tier=ingest',
    'api.podLabels.app\\.kubernetes\\.io/component=evil',
    'api.podLabels.tier=web',
    'scheduler.podLabels.app\\.kubernetes\\.io/name=evil',
    'networkPolicy.enabled=true',
  ];

  it('commonLabels and podLabels change no selector', () => {
    const base = selectorsByObject(render({ set: ['networkPolicy.enabled=true'] }));
    const labelled = selectorsByObject(render({ set: hostile }));
    expect(labelled).toEqual(base);
    for (const selectors of base.values()) {
      for (const s of selectors) expect(Object.keys(s).sort()).toEqual(SELECTOR_KEYS);
    }
  });

  it('user labels reach objects and pods, but pods keep the selector labels', () => {
    const objects = render({ set: hostile });
    for (const o of objects) {
      expect(o.metadata.labels?.team, `${o.kind}/${o.metadata.name}`).toBe('nostr');
      const podLabels = podLabelsOf(o);
      if (!podSpecOf(o) || !podLabels) continue;
      expect(podLabels['app.kubernetes.io/name']).toBe('nostr-info');
      expect(podLabels['app.kubernetes.io/instance']).toBe('nostr-info');
      expect(podLabels['app.kubernetes.io/component']).not.toBe('evil');
    }
    const sts = objects.find((o) => o.kind === 'StatefulSet');
    expect(sts?.spec.template.metadata.labels.tier).toBe('ingest');
  });

  for (const ci of ciValuesFiles()) {
    it(`${ci.name}: every workload selector matches its own pod template`, () => {
      for (const o of renderCi(ci)) {
        const labels = podLabelsOf(o);
        const selector = o.spec?.selector?.matchLabels;
        if (!labels || !selector || !podSpecOf(o)) continue;
        expect(labels).toMatchObject(selector);
      }
    });
  }

  it('every Service and PDB selects exactly one workload', () => {
    const objects = render();
    const workloads = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
    for (const o of objects.filter((x) => x.kind === 'Service' || x.kind === 'PodDisruptionBudget')) {
      const [selector] = selectorsOf(o);
      const matched = workloads.filter((w) =>
        Object.entries(selector ?? {}).every(([k, v]) => podLabelsOf(w)?.[k] === v),
      );
      expect(
        matched.map((w) => w.metadata.name),
        `${o.kind}/${o.metadata.name}`,
      ).toHaveLength(1);
    }
  });
});

describe('names', () => {
  it('are cut to 63 characters and stay valid DNS labels', () => {
    const long = 'a-very-long-release-name-that-goes-on-and-on-well-past-the-limit-of-dns';
    for (const o of render({ set: [`fullnameOverride=${long}`, 'networkPolicy.enabled=true'] })) {
      expect(o.metadata.name.length, o.metadata.name).toBeLessThanOrEqual(63);
      expect(o.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      for (const value of Object.values(o.metadata.labels ?? {}))
        expect(String(value).length).toBeLessThanOrEqual(63);
    }
  });

  it('use the release name alone when it contains the chart name', () => {
    const names = render().map((o) => o.metadata.name);
    expect(names).toContain('nostr-info-api');
    expect(names).not.toContain('nostr-info-nostr-info-api');
  });
});
