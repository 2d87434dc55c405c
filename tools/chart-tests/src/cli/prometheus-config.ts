import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { prometheusFiles } from '../prometheus-config.js';

/**
 * Writes prometheus.yml, rules.yaml and used-metrics.txt for a Prometheus outside Kubernetes,
 * with the chart's scrape settings and alerts.
 *   --api host:port[,host:port]  --collector host:port[,...]  --out DIR  [--set key=value]...
 */
const { values } = parseArgs({
  options: {
    api: { type: 'string', default: '' },
    collector: { type: 'string', default: '' },
    out: { type: 'string' },
    set: { type: 'string', multiple: true, default: [] },
  },
});
if (!values.out) {
  console.error('usage: prometheus-config --api h:p,... --collector h:p,... --out DIR [--set key=value]...');
  process.exit(2);
}
const list = (s: string) =>
  s
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
const files = prometheusFiles({ api: list(values.api), collector: list(values.collector) }, values.set);
mkdirSync(values.out, { recursive: true });
writeFileSync(join(values.out, 'prometheus.yml'), files.config);
writeFileSync(join(values.out, 'rules.yaml'), files.rules);
writeFileSync(join(values.out, 'used-metrics.txt'), `${files.usedMetrics.join('\n')}\n`);
console.log(
  `wrote prometheus.yml, rules.yaml, used-metrics.txt (${files.usedMetrics.length} metrics) to ${values.out}`,
);
