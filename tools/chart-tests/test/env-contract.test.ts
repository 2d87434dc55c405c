import { envSchemas } from '@nostr-info/shared/config';
import { describe, expect, it } from 'vitest';
import { ciValuesFiles, render, renderCi } from '../src/helm.js';
import { containers, envNames, roleOf } from '../src/inspect.js';

/** Helper variables of the CloudNativePG mode, expanded into DATABASE_READ_URL by Kubernetes. */
const HELPERS = new Set(['CNPG_APP_USER', 'CNPG_APP_PASSWORD']);
/** Read by Node.js itself, not by the application (the collector's V8 heap bounds). */
const RUNTIME = new Set(['NODE_OPTIONS']);

const cases = [
  { name: 'default values', objects: () => render() },
  ...ciValuesFiles().map((ci) => ({ name: ci.name, objects: () => renderCi(ci) })),
];

describe('the chart sets only the env names each role reads (packages/shared config/env.ts)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const objects = c.objects();
      const apps = containers(objects).filter((ref) => ref.owner.kind !== 'Pod');
      expect(apps.length).toBeGreaterThanOrEqual(4);
      for (const ref of apps) {
        const role = roleOf(ref) as keyof typeof envSchemas;
        const schema = envSchemas[role];
        expect(schema, `role of ${ref.owner.metadata.name}`).toBeDefined();
        const known = new Set(Object.keys(schema.shape));
        const unknown = envNames(ref, objects).filter(
          (n) => !known.has(n) && !HELPERS.has(n) && !RUNTIME.has(n),
        );
        expect(unknown, `${ref.owner.kind}/${ref.owner.metadata.name} (${role})`).toEqual([]);
      }
    });
  }

  it('each role gets the settings it needs', () => {
    const objects = render();
    const byRole = new Map(containers(objects).map((ref) => [roleOf(ref), new Set(envNames(ref, objects))]));
    const need: Record<string, string[]> = {
      collector: [
        'DATABASE_URL',
        'REDIS_URL',
        'METRICS_PORT',
        'RELAYS_FILE',
        'COLLECTOR_REPLICAS',
        'POD_NAME',
        'STATEFULSET_NAME',
        'POD_NAMESPACE',
        'LOG_LEVEL',
        'NODE_OPTIONS',
      ],
      api: [
        'DATABASE_URL',
        'DATABASE_READ_URL',
        'REDIS_URL',
        'REDIS_CLUSTER_NODES',
        'PORT',
        'TRUST_PROXY_HOPS',
        'RATE_LIMIT_MAX',
      ],
      scheduler: ['DATABASE_URL', 'DATABASE_READ_URL', 'REDIS_URL', 'SNAPSHOT_HISTORY'],
      migrate: ['DATABASE_URL'],
    };
    for (const [role, names] of Object.entries(need)) {
      for (const name of names) expect(byRole.get(role)?.has(name), `${role} ${name}`).toBe(true);
    }
  });

  it('values in the ConfigMaps pass the roles’ own validation', () => {
    const objects = render();
    for (const ref of containers(objects).filter((r) => r.owner.kind !== 'Pod')) {
      const role = roleOf(ref) as keyof typeof envSchemas;
      const env: Record<string, string> = {};
      for (const from of ref.container.envFrom ?? []) {
        const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === from.configMapRef?.name);
        Object.assign(env, cm?.data ?? {});
      }
      for (const e of ref.container.env ?? []) if (typeof e.value === 'string') env[e.name] = e.value;
      const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v.trim() !== ''));
      const result = envSchemas[role].safeParse(input);
      expect(result.success, `${role}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
    }
  });
});
