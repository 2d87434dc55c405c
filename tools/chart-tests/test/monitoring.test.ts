import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ciValuesFiles, findOne, render, renderCi } from '../src/helm.js';
import { documentedLabels, documentedMetrics, metricsIn, unknownLabels } from '../src/metrics-catalogue.js';
import { CHART_DIR, RUNBOOKS_DIR } from '../src/paths.js';

const catalogue = documentedMetrics();
const labels = documentedLabels();
const MONITORING = ['--api-versions', 'monitoring.coreos.com/v1'];
const ALERTS = [
  'NostrInfoServiceDown',
  'NostrInfoApiHighErrorRate',
  'NostrInfoDatabaseErrors',
  'NostrInfoRedisMemoryHigh',
  'NostrInfoCollectorRelaysConnectedLow',
  'NostrInfoCollectorFlushFailing',
  'NostrInfoStatisticsStale',
  'NostrInfoMonitorPublishFailing',
];
const enabled = [
  'metrics.serviceMonitor.enabled=true',
  'metrics.prometheusRule.enabled=true',
  'metrics.grafanaDashboards.enabled=true',
];

interface Rule {
  alert: string;
  expr: string;
  annotations: Record<string, string>;
}

function renderedRules(): Rule[] {
  const rule = findOne(render({ set: enabled, args: MONITORING }), 'PrometheusRule');
  return rule.spec.groups.flatMap((g: { rules: Rule[] }) => g.rules);
}

describe('monitoring is off by default and needs the Prometheus Operator CRDs', () => {
  it('renders nothing by default', () => {
    const kinds = render({ args: MONITORING }).map((o) => o.kind);
    expect(kinds).not.toContain('ServiceMonitor');
    expect(kinds).not.toContain('PrometheusRule');
  });

  it('renders no ServiceMonitor or PrometheusRule when enabled but the CRDs are missing', () => {
    const kinds = render({ set: enabled }).map((o) => o.kind);
    expect(kinds).not.toContain('ServiceMonitor');
    expect(kinds).not.toContain('PrometheusRule');
  });

  it('renders ServiceMonitors for the API and collector Services when the CRDs exist', () => {
    const objects = render({ set: enabled, args: MONITORING });
    for (const component of ['api', 'collector']) {
      const sm = findOne(objects, 'ServiceMonitor', `-${component}`);
      const svc = findOne(objects, 'Service', `-${component}`);
      expect(sm.spec.selector.matchLabels).toEqual(svc.spec.selector);
      expect(sm.spec.endpoints[0].port).toBe(svc.spec.ports[0].name);
      expect(sm.spec.endpoints[0].path).toBe('/metrics');
    }
  });
});

describe('alerts', () => {
  const files = readdirSync(join(CHART_DIR, 'alerts')).filter((f) => f.endsWith('.yaml'));

  it('one alert per file, named as the file, all eight present', () => {
    expect(files.map((f) => basename(f, '.yaml')).sort()).toEqual([...ALERTS].sort());
    const rules = renderedRules();
    expect(rules.map((r) => r.alert).sort()).toEqual([...ALERTS].sort());
  });

  for (const alert of ALERTS) {
    it(`${alert}: runbook exists and is linked, metrics are documented`, () => {
      const rule = renderedRules().find((r) => r.alert === alert);
      if (!rule) throw new Error(`${alert} not rendered`);
      expect(rule.annotations.runbook_url).toMatch(new RegExp(`/docs/runbooks/${alert}\\.md$`));
      const runbook = join(RUNBOOKS_DIR, `${alert}.md`);
      expect(existsSync(runbook), runbook).toBe(true);
      const text = readFileSync(runbook, 'utf8');
      for (const section of ['## Meaning', '## Impact', '## Diagnosis', '## Mitigation'])
        expect(text).toContain(section);
      for (const name of metricsIn(rule.expr, catalogue))
        expect(catalogue, `${alert}: ${name}`).toContain(name);
      // Templates in annotations must reach Prometheus unexpanded by Helm.
      expect(JSON.stringify(rule.annotations)).not.toContain('<no value>');
    });
  }

  it('thresholds come from values', () => {
    const objects = render({
      set: [
        ...enabled,
        'metrics.prometheusRule.relaysConnectedMin=123',
        'metrics.prometheusRule.statsStaleSeconds=600',
      ],
      args: MONITORING,
    });
    const rules: Rule[] = findOne(objects, 'PrometheusRule').spec.groups[0].rules;
    expect(rules.find((r) => r.alert === 'NostrInfoCollectorRelaysConnectedLow')?.expr).toMatch(
      /<\s*123\s*$/,
    );
    expect(rules.find((r) => r.alert === 'NostrInfoStatisticsStale')?.expr).toMatch(/>\s*600\s*$/);
  });

  it('take one pending time for all from forOverride (fast test setups)', () => {
    const own = renderedRules().map((r) => (r as unknown as { for: string }).for);
    expect(new Set(own)).toEqual(new Set(['5m', '10m']));
    const objects = render({ set: [...enabled, 'metrics.prometheusRule.forOverride=0s'], args: MONITORING });
    const rules: { for: string }[] = findOne(objects, 'PrometheusRule').spec.groups[0].rules;
    expect(new Set(rules.map((r) => r.for))).toEqual(new Set(['0s']));
  });

  it('keep Prometheus templates ({{ $value }}) in the descriptions', () => {
    const rules = renderedRules();
    expect(rules.filter((r) => r.annotations.description?.includes('{{ $')).length).toBeGreaterThanOrEqual(5);
  });
});

describe('Grafana dashboards', () => {
  const dir = join(CHART_DIR, 'dashboards');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

  it('collector, API and statistics dashboards exist', () => {
    expect(files.sort()).toEqual(['api.json', 'collector.json', 'statistics.json']);
  });

  for (const file of files) {
    it(`${file}: valid JSON, unique panel ids, only documented metrics`, () => {
      const dashboard = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      expect(dashboard.uid).toMatch(/^nostr-info-/);
      const panels: { id: number; targets: { expr: string }[] }[] = dashboard.panels;
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      const exprs = [
        ...panels.flatMap((p) => p.targets.map((t) => t.expr)),
        ...dashboard.templating.list.map((v: { definition?: string }) => v.definition ?? ''),
      ];
      const used = new Set(exprs.flatMap((e) => metricsIn(e, catalogue)));
      expect(used.size).toBeGreaterThan(0);
      for (const name of used) expect(catalogue, `${file}: ${name}`).toContain(name);
      for (const expr of exprs)
        expect(unknownLabels(expr, catalogue, labels), `${file}: ${expr}`).toEqual([]);
    });
  }

  it('cover what operators look at', () => {
    const text = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    for (const name of [
      'nostr_info_collector_relays_connected',
      'nostr_info_collector_events_received_total',
      'nostr_info_collector_events_invalid_total',
      'nostr_info_collector_duplicates_dropped_total',
      'nostr_info_collector_flushes_total',
      'nostr_info_http_requests_total',
      'nostr_info_http_request_duration_seconds_bucket',
      'nostr_info_api_rate_limited_total',
      'nostr_info_api_cache_requests_total',
      'nostr_info_stats_last_success_timestamp_seconds',
    ]) {
      expect(text).toContain(name);
    }
  });

  it('are shipped as ConfigMaps labelled grafana_dashboard: "1" holding the committed JSON', () => {
    const ci = ciValuesFiles().find((c) => c.name === 'monitoring-values');
    if (!ci) throw new Error('monitoring-values missing');
    const maps = renderCi(ci).filter(
      (o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1',
    );
    expect(maps).toHaveLength(files.length);
    for (const cm of maps) {
      const [key, json] = Object.entries<string>(cm.data)[0] ?? [];
      const file = key?.replace(/^nostr-info-/, '') ?? '';
      expect(JSON.parse(json ?? '')).toEqual(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    }
  });
});

describe('the metrics catalogue reader', () => {
  it('finds histogram base names and rejects undocumented names', () => {
    expect(metricsIn('rate(nostr_info_http_request_duration_seconds_bucket[5m])', catalogue)).toEqual([
      'nostr_info_http_request_duration_seconds',
    ]);
    const made_up = metricsIn('nostr_info_made_up_total', catalogue);
    expect(made_up.every((n) => catalogue.has(n))).toBe(false);
  });

  it('knows the labels of each metric and reports labels a metric does not have', () => {
    expect(labels.get('nostr_info_http_requests_total')).toEqual(new Set(['route', 'method', 'status']));
    expect(
      unknownLabels('sum by (kind) (rate(nostr_info_collector_events_unique_total[5m]))', catalogue, labels),
    ).toEqual([]);
    expect(
      unknownLabels('sum by (relay) (rate(nostr_info_collector_events_unique_total[5m]))', catalogue, labels),
    ).toEqual(['by (relay)']);
    expect(
      unknownLabels('nostr_info_collector_flushes_total{result="failure", state="x"}', catalogue, labels),
    ).toEqual(['nostr_info_collector_flushes_total{state}']);
  });

  it('reads the rendered alerts file the same way promtool gets it', () => {
    const doc = parse(
      readFileSync(join(CHART_DIR, 'alerts', 'NostrInfoServiceDown.yaml'), 'utf8').replace(
        /\{\{[^}]*\}\}/g,
        'x',
      ),
    );
    expect(doc[0].alert).toBe('NostrInfoServiceDown');
  });
});
