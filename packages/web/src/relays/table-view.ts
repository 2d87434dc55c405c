import { kindMix } from '../charts/mini-charts.js';
import { h, replaceChildren } from '../lib/dom.js';
import { figure } from '../lib/figure.js';
import { formatExact } from '../lib/format.js';
import { relayHref } from '../lib/links.js';
import type { RelayRow } from '../lib/types.js';
import { type IndexedRow, type SortKey, softwareName, sortRows, type TableState } from './table-model.js';

const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'relay', label: 'Relay', numeric: false },
  { key: 'status', label: 'Status', numeric: false },
  { key: 'software', label: 'Software', numeric: false },
  { key: 'nips', label: 'NIPs', numeric: true },
  { key: 'uptime', label: 'Uptime', numeric: true },
  { key: 'latency', label: 'Open latency', numeric: true },
  { key: 'events', label: 'Events', numeric: true },
  { key: 'share', label: 'Share', numeric: true },
];

/** A status as a labelled badge (colour is never the only signal: the word is always there). */
export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `badge s-${status.replace(/[^a-z_]/g, '')}` }, status.replace('_', ' '));
}

function cell(label: string, numeric: boolean, ...content: (Node | string)[]): HTMLElement {
  return h('td', { class: numeric ? 'num' : false, 'data-label': label }, ...content);
}

function relayRow({ row, index }: IndexedRow, range: string): HTMLElement {
  const path = (field: string) => `relays.${index}.${field}`;
  const nips = row.supported_nips;
  return h(
    'tr',
    { 'data-url': row.url },
    h(
      'th',
      { scope: 'row', 'data-label': 'Relay' },
      h(
        'a',
        { href: relayHref(row.url, range) },
        row.name?.trim() ? h('span', { class: 'name' }, row.name) : null,
        h('span', { class: 'url' }, row.url),
      ),
    ),
    cell('Status', false, statusBadge(row.status)),
    cell(
      'Software',
      false,
      row.software
        ? h(
            'span',
            { title: row.software },
            `${softwareName(row.software)}${row.version ? ` ${row.version}` : ''}`,
          )
        : '—',
    ),
    cell(
      'NIPs',
      true,
      h(
        'span',
        { title: nips.length ? `NIPs ${nips.join(', ')}` : 'no NIP-11 document or no NIPs listed' },
        formatExact(nips.length),
      ),
    ),
    cell('Uptime', true, figure(row.uptime_pct, { path: path('uptime_pct'), format: 'pct' })),
    cell('Open latency', true, figure(row.open_latency_ms, { path: path('open_latency_ms'), format: 'ms' })),
    cell('Events', true, figure(row.events, { path: path('events'), unit: 'events' })),
    cell('Share', true, figure(row.share_pct, { path: path('share_pct'), format: 'pct' })),
    cell('Kinds', false, kindMix(row.events_by_kind)),
  );
}

/**
 * The relays table: a header button per sortable column (`aria-sort` on the current one), one
 * row per relay that passes the filters. Under 700 px the rows become cards (CSS), labelled by
 * each cell's `data-label`.
 */
export function renderTable(
  target: HTMLElement,
  rows: readonly IndexedRow[],
  state: TableState,
  range: string,
  onSort: (key: SortKey) => void,
): void {
  const head = h(
    'tr',
    {},
    ...COLUMNS.map(({ key, label, numeric }) => {
      const current = state.sort === key;
      const button = h(
        'button',
        { type: 'button', class: 'sort', 'data-sort': key },
        label,
        h(
          'span',
          { class: 'arrow', 'aria-hidden': 'true' },
          current ? (state.dir === 'asc' ? ' ▲' : ' ▼') : '',
        ),
      );
      button.addEventListener('click', () => onSort(key));
      return h(
        'th',
        {
          scope: 'col',
          class: numeric ? 'num' : false,
          'aria-sort': current ? (state.dir === 'asc' ? 'ascending' : 'descending') : false,
        },
        button,
      );
    }),
    h('th', { scope: 'col' }, 'Kinds'),
  );
  const body = sortRows(rows, state.sort, state.dir).map((r) => relayRow(r, range));
  replaceChildren(
    target,
    h(
      'table',
      { class: 'data relays' },
      h('caption', { class: 'sr-only' }, 'Relays; column buttons sort the table'),
      h('thead', {}, head),
      h('tbody', {}, ...body),
    ),
  );
}

/** Rows of the API's list, numbered in its order. */
export function indexRows(relays: readonly RelayRow[]): IndexedRow[] {
  return relays.map((row, index) => ({ row, index }));
}
