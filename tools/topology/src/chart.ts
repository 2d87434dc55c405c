import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from './processes.js';

/** A rendered Kubernetes object, loosely typed. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

/** Installs (if needed) and returns the project-local Helm binary. */
export function helmBinary(): string {
  const helm = resolve(REPO_ROOT, '.tools/bin/helm');
  if (!existsSync(helm))
    execFileSync('bash', [resolve(REPO_ROOT, 'scripts/chart/install-helm.sh')], { stdio: 'inherit' });
  return helm;
}

/** `helm template` of the chart with the Prometheus Operator API present and the given `--set`s. */
export function renderChart(sets: Record<string, string>, namespace = 'default'): K8sObject[] {
  const args = [
    'template',
    'nostr-info',
    resolve(REPO_ROOT, 'charts/nostr-info'),
    '--namespace',
    namespace,
    '--api-versions',
    'monitoring.coreos.com/v1',
  ];
  for (const [key, value] of Object.entries(sets)) args.push('--set', `${key}=${value}`);
  const text = execFileSync(helmBinary(), args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null && typeof o === 'object' && 'kind' in o);
}

export interface ScrapeEndpoint {
  /** The Service the ServiceMonitor selects: its name is the `job` label under the Operator. */
  job: string;
  component: string;
  path: string;
  interval: string;
  scrapeTimeout: string;
}

/**
 * What the chart's ServiceMonitors tell Prometheus: for each, the selected Service (the job name
 * the Prometheus Operator gives the targets), path and interval.
 */
export function scrapeEndpoints(objects: K8sObject[]): ScrapeEndpoint[] {
  const services = objects.filter((o) => o.kind === 'Service');
  return objects
    .filter((o) => o.kind === 'ServiceMonitor')
    .flatMap((monitor) => {
      const spec = monitor.spec as {
        selector: { matchLabels: Record<string, string> };
        endpoints: { port: string; path?: string; interval?: string; scrapeTimeout?: string }[];
      };
      const service = services.find((s) =>
        Object.entries(spec.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v),
      );
      if (!service) throw new Error(`ServiceMonitor ${monitor.metadata.name} selects no Service`);
      return spec.endpoints.map((endpoint) => ({
        job: service.metadata.name,
        component: spec.selector.matchLabels['app.kubernetes.io/component'] ?? service.metadata.name,
        path: endpoint.path ?? '/metrics',
        interval: endpoint.interval ?? '30s',
        scrapeTimeout: endpoint.scrapeTimeout ?? '10s',
      }));
    });
}

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The alert rules of the rendered PrometheusRule. */
export function alertRules(objects: K8sObject[]): AlertRule[] {
  const rule = objects.find((o) => o.kind === 'PrometheusRule');
  if (!rule) throw new Error('the chart rendered no PrometheusRule');
  const groups = (rule.spec as { groups: { rules: AlertRule[] }[] }).groups;
  return groups.flatMap((g) => g.rules).filter((r) => typeof r.alert === 'string');
}
