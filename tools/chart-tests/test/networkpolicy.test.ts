import { describe, expect, it } from 'vitest';
import { ciValuesFiles, findOne, type K8sObject, render, renderCi } from '../src/helm.js';

interface Port {
  port: number | string;
  protocol: string;
}
interface EgressRule {
  ports?: Port[];
  to?: unknown[];
}

const ports = (rules: EgressRule[]) => rules.flatMap((r) => (r.ports ?? []).map((p) => p.port));
const policy = (objects: K8sObject[], component: string) =>
  findOne(objects, 'NetworkPolicy', `-${component}`);

describe('NetworkPolicies', () => {
  it('are off by default', () => {
    expect(render().some((o) => o.kind === 'NetworkPolicy')).toBe(false);
  });

  const objects = render({ set: ['networkPolicy.enabled=true'] });

  it('let the ingress controller (and Prometheus, and the test pod) reach the API port only', () => {
    const api = policy(objects, 'api');
    expect(api.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(api.spec.ingress).toHaveLength(1);
    expect(api.spec.ingress[0].ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
    expect(api.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': 'ingress-nginx',
    });
    expect(ports(api.spec.egress)).not.toContain(443);
  });

  it('let the collector reach relays on 443/80, DNS, Postgres and Redis', () => {
    const egress = ports(policy(objects, 'collector').spec.egress);
    for (const p of [443, 80, 53, 5432, 6379]) expect(egress).toContain(p);
  });

  it('give the scheduler no ingress, and migrations Postgres and DNS only', () => {
    expect(policy(objects, 'scheduler').spec.ingress).toBeUndefined();
    expect(policy(objects, 'scheduler').spec.policyTypes).toContain('Ingress');
    expect(ports(policy(objects, 'migrate').spec.egress).sort()).toEqual([53, 53, 5432]);
  });

  it('restrict Postgres egress to the CloudNativePG pods and Redis to the given peers', () => {
    const ci = ciValuesFiles().find((c) => c.name === 'full-ha-values');
    if (!ci) throw new Error('full-ha-values missing');
    const ha = renderCi(ci);
    const egress: EgressRule[] = policy(ha, 'api').spec.egress;
    const pg = egress.find((r) => r.ports?.some((p) => p.port === 5432));
    expect(pg?.to).toEqual([{ podSelector: { matchLabels: { 'cnpg.io/cluster': 'nostr-info-pg' } } }]);
    const redis = egress.find((r) => r.ports?.some((p) => p.port === 6379));
    expect(redis?.to).toEqual([
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'redis-cluster' } } },
    ]);
  });
});
