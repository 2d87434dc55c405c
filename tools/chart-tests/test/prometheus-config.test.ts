import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { documentedMetrics } from '../src/metrics-catalogue.js';
import { prometheusFiles } from '../src/prometheus-config.js';

describe('Prometheus config outside Kubernetes, from the chart', () => {
  const files = prometheusFiles(
    { api: ['127.0.0.1:3001', '127.0.0.1:3002'], collector: ['127.0.0.1:9464'] },
    ['metrics.serviceMonitor.interval=5s', 'metrics.serviceMonitor.scrapeTimeout=4s'],
  );

  it('has one job per ServiceMonitor with its interval, timeout and path', () => {
    const config = parse(files.config);
    expect(config.scrape_configs).toEqual([
      {
        job_name: 'nostr-info-api',
        scrape_interval: '5s',
        scrape_timeout: '4s',
        metrics_path: '/metrics',
        static_configs: [{ targets: ['127.0.0.1:3001', '127.0.0.1:3002'] }],
      },
      {
        job_name: 'nostr-info-collector',
        scrape_interval: '5s',
        scrape_timeout: '4s',
        metrics_path: '/metrics',
        static_configs: [{ targets: ['127.0.0.1:9464'] }],
      },
    ]);
  });

  it('passes promtool check config (rules included) with the alerts selecting those jobs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nostr-info-prom-'));
    try {
      writeFileSync(join(dir, 'prometheus.yml'), files.config);
      writeFileSync(join(dir, 'rules.yaml'), files.rules);
      const result = spawnSync('promtool', ['check', 'config', 'prometheus.yml'], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
      expect(`${result.stdout}${result.stderr}`).toContain('8 rules found');
      expect(files.rules).toContain('job=~"nostr-info-(api|collector)"');
      expect(files.rules).not.toContain('namespace=');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists the metrics the alerts and dashboards use, all documented', () => {
    const catalogue = documentedMetrics();
    expect(files.usedMetrics.length).toBeGreaterThan(15);
    for (const name of files.usedMetrics) expect(catalogue).toContain(name);
    expect(files.usedMetrics).toContain('nostr_info_collector_relays_connected');
  });
});
