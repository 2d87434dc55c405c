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
