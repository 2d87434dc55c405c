import { readFileSync } from 'node:fs';
import { METRICS_DOC } from './paths.js';

/** Every `nostr_info_*` name written in backticks in docs/metrics.md. */
export function documentedMetrics(text = readFileSync(METRICS_DOC, 'utf8')): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/`(nostr_info_[a-z0-9_]+)(\{[^`]*\})?`/g)) {
    if (match[1]) names.add(match[1]);
  }
  return names;
}

const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

/**
 * `nostr_info_*` metric names a PromQL expression uses, with histogram series suffixes mapped
 * to the histogram's name when the catalogue lists the histogram.
 */
export function metricsIn(expr: string, catalogue: Set<string>): string[] {
  const found = new Set<string>();
  for (const match of expr.matchAll(/\bnostr_info_[a-z0-9_]+/g)) {
    let name = match[0];
    if (!catalogue.has(name)) {
      const suffix = HISTOGRAM_SUFFIXES.find((s) => name.endsWith(s));
      if (suffix && catalogue.has(name.slice(0, -suffix.length))) name = name.slice(0, -suffix.length);
    }
    found.add(name);
  }
  return [...found];
}

/** Labels every scraped series may carry besides its own (target labels and histogram `le`). */
export const TARGET_LABELS = new Set([
  'namespace',
  'job',
  'instance',
  'pod',
  'service',
  'container',
  'endpoint',
  'le',
]);

/** Label names per metric from the tables of docs/metrics.md (`| \`name\` | type | \`a\`, \`b\` | ...`). */
export function documentedLabels(text = readFileSync(METRICS_DOC, 'utf8')): Map<string, Set<string>> {
  const labels = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const name = /^`(nostr_info_[a-z0-9_]+)`$/.exec(cells[1] ?? '')?.[1];
    if (!name) continue;
    const own = [...(cells[3] ?? '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1] as string);
    labels.set(name, new Set([...(labels.get(name) ?? []), ...own]));
  }
  return labels;
}

/**
 * Label names an expression uses that none of its metrics has: in `metric{label=...}` matchers
 * and in `by (...)` / `without (...)` / `on (...)` clauses. An empty list means every label exists.
 */
export function unknownLabels(
  expr: string,
  catalogue: Set<string>,
  labels: Map<string, Set<string>>,
): string[] {
  const problems: string[] = [];
  const metrics = metricsIn(expr, catalogue);
  const known = new Set(TARGET_LABELS);
  for (const m of metrics) for (const l of labels.get(m) ?? []) known.add(l);
  for (const match of expr.matchAll(/\b(nostr_info_[a-z0-9_]+)\s*\{([^}]*)\}/g)) {
    const [name] = metricsIn(match[1] ?? '', catalogue);
    const own = new Set([...TARGET_LABELS, ...(labels.get(name ?? '') ?? [])]);
    for (const matcher of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)) {
      const label = matcher[1] as string;
      if (!own.has(label) && !label.startsWith('__')) problems.push(`${name}{${label}}`);
    }
  }
  for (const clause of expr.matchAll(/\b(?:by|without|on|ignoring)\s*\(([^)]*)\)/g)) {
    for (const label of (clause[1] ?? '')
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean)) {
      if (!known.has(label)) problems.push(`by (${label})`);
    }
  }
  return problems;
}
