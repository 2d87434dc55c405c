import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { AlertRule, ScrapeEndpoint } from './chart.js';
import { freePort, REPO_ROOT, type RoleProcess, startProcess, waitFor } from './processes.js';

/** Installs (if needed) and returns Debian's Prometheus server binary. */
export function prometheusBinary(): string {
  const binary = '/usr/bin/prometheus';
  if (!existsSync(binary)) {
    execFileSync('bash', [resolve(REPO_ROOT, 'scripts/chart/install-promtool.sh')], { stdio: 'inherit' });
  }
  return binary;
}

export interface Target {
  component: string;
  /** `host:port` */
  address: string;
  /** Pod-like instance name. */
  pod: string;
}

export interface PrometheusServer {
  url: string;
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** Active alerts (pending or firing). */
  alerts(): Promise<{ labels: Record<string, string>; state: string }[]>;
  stop(): Promise<void>;
  process: RoleProcess;
}

/**
 * A real Prometheus scraping the topology's processes with the chart's ServiceMonitor settings
 * (job = selected Service, path, interval, timeout) and evaluating the chart's alert rules. Targets
 * carry the labels the Operator would add (`namespace`, `job`, `pod`).
 */
export async function startPrometheus({
  endpoints,
  targets,
  rules,
  namespace = 'default',
  evaluationInterval = '1s',
}: {
  endpoints: ScrapeEndpoint[];
  targets: Target[];
  rules: AlertRule[];
  namespace?: string;
  evaluationInterval?: string;
}): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'nostr-info-prometheus-'));
  const scrapeConfigs = endpoints.map((endpoint) => ({
    job_name: endpoint.job,
    metrics_path: endpoint.path,
    scrape_interval: endpoint.interval,
    scrape_timeout: endpoint.scrapeTimeout,
    static_configs: targets
      .filter((t) => t.component === endpoint.component)
      .map((t) => ({ targets: [t.address], labels: { namespace, pod: t.pod } })),
  }));
  writeFileSync(join(dir, 'rules.yml'), stringify({ groups: [{ name: 'nostr-info', rules }] }));
  writeFileSync(
    join(dir, 'prometheus.yml'),
    stringify({
      global: { evaluation_interval: evaluationInterval },
      rule_files: [join(dir, 'rules.yml')],
      scrape_configs: scrapeConfigs,
    }),
  );
  const port = await freePort();
  const proc = startProcess(
    'prometheus',
    prometheusBinary(),
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    {},
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor('prometheus ready', async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), {
    timeoutMs: 30_000,
  });
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${path}: ${body.error ?? res.status}`);
    return body.data;
  };
  return {
    url,
    process: proc,
    query: async (expr) =>
      (
        await api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
          `/api/v1/query?query=${encodeURIComponent(expr)}`,
        )
      ).result,
    alerts: async () =>
      (await api<{ alerts: { labels: Record<string, string>; state: string }[] }>('/api/v1/alerts')).alerts,
    stop: async () => {
      await proc.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
