import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const METRIC = /\bnostr_info_[a-z0-9_]+/g;
const SUFFIXES = ['_bucket', '_sum', '_count'];

/** Metric names a PromQL expression uses (histogram series reduced to their family name). */
export function metricNamesIn(expr: string): string[] {
  return [...new Set((expr.match(METRIC) ?? []).map(familyName))];
}

/** `x_bucket` → `x` (only for the histogram/summary series suffixes). */
export function familyName(name: string): string {
  for (const suffix of SUFFIXES) if (name.endsWith(suffix)) return name.slice(0, -suffix.length);
  return name;
}

/** Every PromQL `expr` in the committed Grafana dashboards of a folder. */
export function dashboardExpressions(folder: string): { file: string; expr: string }[] {
  const found: { file: string; expr: string }[] = [];
  const walk = (node: unknown, file: string) => {
    if (Array.isArray(node)) for (const item of node) walk(item, file);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'expr' || key === 'query') && typeof value === 'string')
          found.push({ file, expr: value });
        else walk(value, file);
      }
    }
  };
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.json'))) {
    walk(JSON.parse(readFileSync(join(folder, file), 'utf8')), file);
  }
  return found;
}

/** Metric family names exposed in a Prometheus text exposition. */
export function exposedFamilies(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const match = /^# TYPE (\S+) /.exec(line);
    if (match?.[1]) names.add(match[1]);
  }
  return names;
}
