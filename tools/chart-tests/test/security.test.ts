import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { ciValuesFiles, findOne, type K8sObject, render, renderCi } from '../src/helm.js';
import { containers, envEntry } from '../src/inspect.js';

const SECRET_ENV = [
  'DATABASE_URL',
  'DATABASE_READ_URL',
  'REDIS_URL',
  'REDIS_CLUSTER_NODES',
  'CNPG_APP_PASSWORD',
];

function secretValues(objects: K8sObject[]): string[] {
  return objects
    .filter((o) => o.kind === 'Secret')
    .flatMap((s) => [
      ...Object.values<string>(s.stringData ?? {}),
      ...Object.values<string>(s.data ?? {}).map((v) => Buffer.from(v, 'base64').toString('utf8')),
    ])
    .filter((v) => v.length > 0);
}

const cases = [
  { name: 'default values', objects: () => render() },
  ...ciValuesFiles().map((ci) => ({ name: ci.name, objects: () => renderCi(ci) })),
];

describe('no secret value in a ConfigMap', () => {
  for (const c of cases) {
    it(c.name, () => {
      const objects = c.objects();
      const configMaps = objects.filter((o) => o.kind === 'ConfigMap');
      const secrets = secretValues(objects);
      for (const cm of configMaps) {
        for (const [key, value] of Object.entries<string>(cm.data ?? {})) {
          expect(SECRET_ENV, `${cm.metadata.name}: ${key}`).not.toContain(key);
          for (const secret of secrets) expect(value, `${cm.metadata.name}/${key}`).not.toContain(secret);
          expect(value, `${cm.metadata.name}/${key}`).not.toMatch(/(postgres(ql)?|rediss?):\/\//);
        }
      }
      // And no container gets a connection string as a literal value.
      for (const ref of containers(objects)) {
        for (const name of ['DATABASE_URL', 'REDIS_URL', 'REDIS_CLUSTER_NODES']) {
          const entry = envEntry(ref, name);
          if (entry)
            expect(entry.valueFrom?.secretKeyRef, `${ref.owner.metadata.name} ${name}`).toBeDefined();
        }
      }
    });
  }

  it('puts passwords given in values into the Secret only', () => {
    const objects = render({ set: ['secrets.redisUrl=redis://:Very-Secret-9@redis:6379'] });
    expect(findOne(objects, 'Secret', 'nostr-info').stringData.REDIS_URL).toBe(
      'redis://:Very-Secret-9@redis:6379',
    );
    const elsewhere = objects.filter((o) => o.kind !== 'Secret').map((o) => JSON.stringify(o));
    expect(elsewhere.join('\n')).not.toContain('Very-Secret-9');
  });

  it('with existingSecret creates no Secret and reads the configured keys', () => {
    const ci = ciValuesFiles().find((c) => c.name === 'existing-secret-values');
    if (!ci) throw new Error('existing-secret-values missing');
    const objects = renderCi(ci);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const api = containers(objects).find((c) => c.owner.kind === 'Deployment');
    if (!api) throw new Error('no api');
    expect(envEntry(api, 'DATABASE_URL').valueFrom.secretKeyRef).toEqual({
      name: 'nostr-info-credentials',
      key: 'writer-url',
      optional: true,
    });
  });
});

describe('RBAC no wider than get/list/watch of the collector StatefulSet', () => {
  for (const c of cases) {
    it(c.name, () => {
      const objects = c.objects();
      expect(objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
      const roles = objects.filter((o) => o.kind === 'Role');
      const sts = findOne(objects, 'StatefulSet', '-collector');
      const sa = sts.spec.template.spec.serviceAccountName;
      if (roles.length === 0) {
        // Without RBAC the collector does not try to watch (COLLECTOR_REPLICAS only).
        expect(sts.spec.template.spec.containers[0].env.map((e: { name: string }) => e.name)).not.toContain(
          'STATEFULSET_NAME',
        );
        return;
      }
      expect(roles).toHaveLength(1);
      const role = roles[0] as K8sObject;
      expect(role.rules).toEqual([
        {
          apiGroups: ['apps'],
          resources: ['statefulsets'],
          resourceNames: [sts.metadata.name],
          verbs: ['get', 'list', 'watch'],
        },
      ]);
      const binding = findOne(objects, 'RoleBinding');
      expect(binding.roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: role.metadata.name,
      });
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: sa, namespace: 'nostr-info' }]);
      // Only the collector mounts an API token; every other pod runs without one.
      for (const ref of containers(objects)) {
        const mounted = ref.podSpec.automountServiceAccountToken;
        if (ref.owner.kind === 'StatefulSet') expect(mounted).toBe(true);
        else expect(mounted, ref.owner.metadata.name).toBe(false);
        if (ref.owner.kind !== 'StatefulSet') expect(ref.podSpec.serviceAccountName).not.toBe(sa);
      }
    });
  }
});

describe('pods run unprivileged', () => {
  it('every container: non-root, no privilege escalation, read-only root, all capabilities dropped', () => {
    for (const ref of containers(render())) {
      expect(ref.podSpec.securityContext.runAsNonRoot).toBe(true);
      expect(ref.container.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
    }
  });
});
