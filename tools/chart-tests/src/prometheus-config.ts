import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { findOne, render } from './helm.js';
import { documentedMetrics, metricsIn } from './metrics-catalogue.js';
import { CHART_DIR } from './paths.js';

/** Scrape targets (`host:port`) of a Prometheus run outside Kubernetes. */
export interface Targets {
  api: string[];
  collector: string[];
}

/** prometheus.yml, rules.yaml and the metric names the dashboards and alerts use. */
export interface PrometheusFiles {
  config: string;
  rules: string;
  usedMetrics: string[];
}

/**
 * A plain Prometheus setup equal to what the chart gives the Prometheus Operator: one job per
 * ServiceMonitor (named as the Service, as the Operator names them) with its interval, timeout and
 * path, and the PrometheusRule's groups selecting those jobs.
 */
export function prometheusFiles(targets: Targets, set: string[] = []): PrometheusFiles {
  const objects = render({
    set: [
      'metrics.serviceMonitor.enabled=true',
      'metrics.prometheusRule.enabled=true',
      'metrics.prometheusRule.selector=job=~"nostr-info-(api|collector)"',
      ...set,
    ],
    args: ['--api-versions', 'monitoring.coreos.com/v1'],
  });
  const jobs = (['api', 'collector'] as const).map((component) => {
    const monitor = findOne(objects, 'ServiceMonitor', `-${component}`);
    const endpoint = monitor.spec.endpoints[0];
    return {
      job_name: findOne(objects, 'Service', `-${component}`).metadata.name,
      scrape_interval: endpoint.interval,
      scrape_timeout: endpoint.scrapeTimeout,
      metrics_path: endpoint.path,
      static_configs: [{ targets: targets[component] }],
    };
  });
  const config = stringify({
    global: { scrape_interval: jobs[0]?.scrape_interval, evaluation_interval: jobs[0]?.scrape_interval },
    rule_files: ['rules.yaml'],
    scrape_configs: jobs,
  });
  const groups = findOne(objects, 'PrometheusRule').spec.groups;
  const rules = stringify({ groups }, { lineWidth: 0 });
  return { config, rules, usedMetrics: usedMetrics(groups) };
}

/** Every `nostr_info_*` name the alerts and the dashboards read, sorted. */
export function usedMetrics(groups: { rules: { expr: string }[] }[]): string[] {
  const catalogue = documentedMetrics();
  const exprs = groups.flatMap((g) => g.rules.map((r) => r.expr));
  const dir = join(CHART_DIR, 'dashboards');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const dashboard = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    for (const panel of dashboard.panels) for (const t of panel.targets ?? []) exprs.push(t.expr);
    for (const variable of dashboard.templating?.list ?? []) exprs.push(variable.definition ?? '');
  }
  return [...new Set(exprs.flatMap((e) => metricsIn(e, catalogue)))].sort();
}
