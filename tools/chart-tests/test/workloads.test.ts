import { describe, expect, it } from 'vitest';
import { ciValuesFiles, findOne, render, renderCi } from '../src/helm.js';
import { containerOf, envEntry } from '../src/inspect.js';

const fullHa = () => {
  const ci = ciValuesFiles().find((c) => c.name === 'full-ha-values');
  if (!ci) throw new Error('full-ha-values missing');
  return renderCi(ci);
};

describe('scheduler CronJob', () => {
  it('runs every five minutes, never two at once, with deadlines and history limits', () => {
    const cron = findOne(render(), 'CronJob', '-scheduler');
    expect(cron.spec.schedule).toBe('*/5 * * * *');
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    expect(cron.spec.startingDeadlineSeconds).toBeGreaterThan(0);
    expect(cron.spec.successfulJobsHistoryLimit).toBeGreaterThanOrEqual(1);
    expect(cron.spec.failedJobsHistoryLimit).toBeGreaterThanOrEqual(1);
    const deadline = cron.spec.jobTemplate.spec.activeDeadlineSeconds;
    expect(deadline).toBeGreaterThan(0);
    // A run must end before the next one is due.
    expect(deadline).toBeLessThan(300);
    expect(cron.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
  });

  for (const ci of ciValuesFiles()) {
    it(`${ci.name}: reads DATABASE_READ_URL`, () => {
      const ref = containerOf(renderCi(ci), 'CronJob', '-scheduler');
      expect(ref.container.args).toEqual(['scheduler', 'run']);
      expect(envEntry(ref, 'DATABASE_READ_URL')).toBeDefined();
    });
  }
});

describe('API Deployment, Service, HPA, PDB, Ingress', () => {
  it('probes readiness on /ready and liveness on /health on the PORT it listens on', () => {
    const objects = render();
    const ref = containerOf(objects, 'Deployment', '-api');
    expect(ref.container.args).toEqual(['api']);
    expect(ref.container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
    expect(ref.container.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    const port = ref.container.ports.find((p: { name: string }) => p.name === 'http').containerPort;
    expect(findOne(objects, 'ConfigMap', '-api').data.PORT).toBe(String(port));
    expect(findOne(objects, 'Service', '-api').spec.ports[0].targetPort).toBe('http');
  });

  it('the HPA (autoscaling/v2) targets the API Deployment, on CPU by default', () => {
    const objects = render();
    const hpa = findOne(objects, 'HorizontalPodAutoscaler', '-api');
    const deployment = findOne(objects, 'Deployment', '-api');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: deployment.metadata.name,
    });
    expect(hpa.spec.metrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
      },
    ]);
    // The HPA owns the replica count; the Deployment must not fight it on every upgrade.
    expect(deployment.spec.replicas).toBeUndefined();
  });

  it('takes custom metrics and behavior in the full-HA install', () => {
    const hpa = findOne(fullHa(), 'HorizontalPodAutoscaler', '-api');
    expect(hpa.spec.metrics.map((m: { type: string }) => m.type)).toEqual(['Resource', 'Resource', 'Pods']);
    expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
    expect(hpa.spec.minReplicas).toBe(3);
  });

  it('without autoscaling the Deployment has fixed replicas and no HPA', () => {
    const objects = render({ set: ['api.autoscaling.enabled=false', 'api.replicas=4'] });
    expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
    expect(findOne(objects, 'Deployment', '-api').spec.replicas).toBe(4);
  });

  it('leaves HPA metrics out when none is set (Kubernetes then scales on CPU)', () => {
    const hpa = findOne(
      render({ set: ['api.autoscaling.targetCPUUtilizationPercentage='] }),
      'HorizontalPodAutoscaler',
    );
    expect(hpa.spec.metrics).toBeUndefined();
  });

  it('has no API PDB over a single pod, which would block node drains', () => {
    const single = render({ set: ['api.autoscaling.enabled=false', 'api.replicas=1'] });
    expect(single.some((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name.endsWith('-api'))).toBe(
      false,
    );
    const pdb = findOne(render(), 'PodDisruptionBudget', '-api');
    expect(pdb.spec.minAvailable).toBe(1);
  });

  it('spreads API pods over zones and nodes', () => {
    const deployment = findOne(render(), 'Deployment', '-api');
    const keys = deployment.spec.template.spec.topologySpreadConstraints.map(
      (t: { topologyKey: string }) => t.topologyKey,
    );
    expect(keys).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
  });

  it('renders the Ingress with class, hosts, TLS and annotations, pointing at the API Service', () => {
    const objects = fullHa();
    const ingress = findOne(objects, 'Ingress', '-api');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.tls).toEqual([{ hosts: ['api.nostr.example'], secretName: 'nostr-info-api-tls' }]);
    expect(ingress.metadata.annotations?.['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
    const backend = ingress.spec.rules[0].http.paths[0].backend.service;
    expect(backend).toEqual({
      name: findOne(objects, 'Service', '-api').metadata.name,
      port: { name: 'http' },
    });
    expect(render().some((o) => o.kind === 'Ingress')).toBe(false);
  });
});

describe('migrations hook Job', () => {
  it('runs `migrate` before install and upgrade', () => {
    const job = findOne(render(), 'Job', '-migrate');
    expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(job.spec.template.spec.containers[0].args).toEqual(['migrate']);
    expect(
      job.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'DATABASE_URL'),
    ).toBeDefined();
  });

  it('gets DATABASE_URL from a hook Secret created before it (pre-install has no release Secret yet)', () => {
    const objects = render();
    const secret = findOne(objects, 'Secret', '-migrate');
    const job = findOne(objects, 'Job', '-migrate');
    expect(Number(secret.metadata.annotations?.['helm.sh/hook-weight'])).toBeLessThan(
      Number(job.metadata.annotations?.['helm.sh/hook-weight']),
    );
    expect(secret.metadata.annotations?.['helm.sh/hook']).toBe(job.metadata.annotations?.['helm.sh/hook']);
    const ref = job.spec.template.spec.containers[0].env.find(
      (e: { name: string }) => e.name === 'DATABASE_URL',
    );
    expect(ref.valueFrom.secretKeyRef.name).toBe(secret.metadata.name);
  });

  it('runs after install with CloudNativePG, whose database the install creates', () => {
    const job = findOne(fullHa(), 'Job', '-migrate');
    expect(job.metadata.annotations?.['helm.sh/hook']).toBe('post-install,pre-upgrade');
  });
});

describe('CloudNativePG', () => {
  it('creates a 3-instance Cluster whose -rw and -ro services feed DATABASE_URL and DATABASE_READ_URL', () => {
    const objects = fullHa();
    const cluster = findOne(objects, 'Cluster', '-pg');
    expect(cluster.spec.instances).toBe(3);
    const ref = containerOf(objects, 'CronJob', '-scheduler');
    expect(envEntry(ref, 'DATABASE_URL').valueFrom.secretKeyRef).toEqual({
      name: `${cluster.metadata.name}-app`,
      key: 'uri',
    });
    const read = envEntry(ref, 'DATABASE_READ_URL').value as string;
    expect(read).toContain(`@${cluster.metadata.name}-ro:5432/nostr_info`);
    // Credentials come from the operator's secret through $(VAR) expansion, never a literal.
    expect(read).toMatch(/^postgresql:\/\/\$\(CNPG_APP_USER\):\$\(CNPG_APP_PASSWORD\)@/);
    const names = ref.container.env.map((e: { name: string }) => e.name);
    expect(names.indexOf('CNPG_APP_PASSWORD')).toBeLessThan(names.indexOf('DATABASE_READ_URL'));
  });
});

describe('helm test pod', () => {
  it('calls /ready on the API Service', () => {
    const objects = render();
    const pod = findOne(objects, 'Pod', '-test-ready');
    expect(pod.metadata.annotations?.['helm.sh/hook']).toBe('test');
    const svc = findOne(objects, 'Service', '-api');
    expect(pod.spec.containers[0].args.at(-1)).toBe(
      `http://${svc.metadata.name}:${svc.spec.ports[0].port}/ready`,
    );
  });
});
