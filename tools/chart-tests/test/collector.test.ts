import { describe, expect, it } from 'vitest';
import { ciValuesFiles, findOne, render, renderCi } from '../src/helm.js';
import { containerOf, envEntry } from '../src/inspect.js';

describe('collector StatefulSet', () => {
  for (const replicas of [1, 3, 7]) {
    it(`collector.replicas=${replicas} sets both replicas and COLLECTOR_REPLICAS`, () => {
      const objects = render({ set: [`collector.replicas=${replicas}`] });
      const sts = findOne(objects, 'StatefulSet', '-collector');
      const ref = containerOf(objects, 'StatefulSet', '-collector');
      expect(sts.spec.replicas).toBe(replicas);
      expect(envEntry(ref, 'COLLECTOR_REPLICAS')).toEqual({
        name: 'COLLECTOR_REPLICAS',
        value: String(replicas),
      });
    });
  }

  for (const ci of ciValuesFiles()) {
    it(`${ci.name}: replica count and shard count agree`, () => {
      const objects = renderCi(ci);
      const sts = findOne(objects, 'StatefulSet', '-collector');
      const ref = containerOf(objects, 'StatefulSet', '-collector');
      expect(envEntry(ref, 'COLLECTOR_REPLICAS').value).toBe(String(sts.spec.replicas));
    });
  }

  it('takes its ordinal from the pod name and watches its own StatefulSet', () => {
    const objects = render();
    const sts = findOne(objects, 'StatefulSet', '-collector');
    const ref = containerOf(objects, 'StatefulSet', '-collector');
    expect(envEntry(ref, 'POD_NAME').valueFrom).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
    expect(envEntry(ref, 'POD_NAMESPACE').valueFrom).toEqual({
      fieldRef: { fieldPath: 'metadata.namespace' },
    });
    expect(envEntry(ref, 'STATEFULSET_NAME').value).toBe(sts.metadata.name);
    expect(ref.container.args).toEqual(['collector']);
  });

  it('starts shards in parallel behind a headless Service, with a PDB and a metrics port', () => {
    const objects = render();
    const sts = findOne(objects, 'StatefulSet', '-collector');
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    const svc = findOne(objects, 'Service', '-collector');
    expect(svc.spec.clusterIP).toBe('None');
    expect(sts.spec.serviceName).toBe(svc.metadata.name);
    expect(svc.spec.ports[0]).toMatchObject({ name: 'metrics', port: 9464 });
    const ref = containerOf(objects, 'StatefulSet', '-collector');
    expect(ref.container.ports).toEqual([{ name: 'metrics', containerPort: 9464, protocol: 'TCP' }]);
    const pdb = findOne(objects, 'PodDisruptionBudget', '-collector');
    expect(pdb.spec.selector.matchLabels).toEqual(sts.spec.selector.matchLabels);
  });

  it('gives the final flush time before SIGKILL: grace period at least two flush intervals + 10 s', () => {
    const slow = render({
      set: ['collector.flushIntervalMs=60000', 'collector.terminationGracePeriodSeconds=30'],
    });
    expect(findOne(slow, 'StatefulSet', '-collector').spec.template.spec.terminationGracePeriodSeconds).toBe(
      130,
    );
    const defaults = findOne(render(), 'StatefulSet', '-collector');
    expect(defaults.spec.template.spec.terminationGracePeriodSeconds).toBe(120);
  });

  it('mounts the relay list as RELAYS_FILE: the seed list by default, the given relays otherwise', () => {
    const defaults = render();
    const cm = findOne(defaults, 'ConfigMap', '-collector');
    const relays = findOne(defaults, 'ConfigMap', '-relays');
    expect(cm.data.RELAYS_FILE).toBe('/etc/nostr-info/relays.txt');
    expect(relays.data['relays.txt'].trim().split('\n').length).toBeGreaterThan(200);
    const mount = containerOf(defaults, 'StatefulSet', '-collector').container.volumeMounts[0];
    expect(mount.mountPath).toBe('/etc/nostr-info');
    const custom = render({ set: ['collector.relays={wss://a.example,wss://b.example}'] });
    expect(findOne(custom, 'ConfigMap', '-relays').data['relays.txt'].trim().split('\n')).toEqual([
      'wss://a.example',
      'wss://b.example',
    ]);
  });
});
