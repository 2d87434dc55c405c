import { h } from './dom.js';
import { type FigureFormat, figure } from './figure.js';
import { formatExact } from './format.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every number (or null) under `value`, with its dotted path; arrays and text are left out. */
export function numericLeaves(
  value: unknown,
  prefix = '',
  out: [string, number | null][] = [],
): [string, number | null][] {
  if (typeof value === 'number' || value === null) out.push([prefix, value]);
  else if (isObject(value))
    for (const [k, v] of Object.entries(value)) numericLeaves(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

export interface FigureTableOptions {
  id: string;
  summary: string;
  /** Path of `value` in the API body, put before each leaf's path (`overview`, `stats`). */
  pathPrefix: string;
  labels?: Record<string, string>;
  formatOf?: (path: string) => FigureFormat;
}

/**
 * Every figure under `value` as an exact table inside a closed `<details>`: the fields a page
 * shows elsewhere, those it has no place for, and fields added to the API after the page was
 * written.
 */
export function figureTable(
  value: unknown,
  { id, summary, pathPrefix, labels = {}, formatOf }: FigureTableOptions,
): HTMLElement {
  const rows = numericLeaves(value).map(([path, v]) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, labels[path] ?? path.replaceAll('.', ' › ').replaceAll('_', ' ')),
      h(
        'td',
        { class: 'num' },
        figure(v, { path: `${pathPrefix}.${path}`, format: formatOf?.(path) ?? 'count' }),
      ),
    ),
  );
  return h(
    'details',
    { class: 'all-figures', id },
    h('summary', {}, `${summary} (${formatExact(rows.length)})`),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'figure'), h('th', { scope: 'col' }, 'value'))),
        h('tbody', {}, ...rows),
      ),
    ),
  );
}
