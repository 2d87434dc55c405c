import { h } from '../lib/dom.js';
import { DEFAULT_STATE, SORT_KEYS, type SortKey, softwareName, type TableState } from './table-model.js';

const SORT_LABELS: Record<SortKey, string> = {
  relay: 'name',
  status: 'status',
  software: 'software',
  nips: 'NIPs supported',
  uptime: 'uptime',
  latency: 'open latency',
  events: 'events',
  share: 'share of events',
};

/** The filter and sort inputs; `read` gives their current state. */
export interface Controls {
  readonly element: HTMLElement;
  read(): TableState;
  /** Shows `state` in the inputs (after a header click or a reset). */
  show(state: TableState): void;
}

function select(
  id: string,
  label: string,
  options: [string, string][],
): { wrap: HTMLElement; input: HTMLSelectElement } {
  const input = h(
    'select',
    { id, name: id },
    ...options.map(([value, text]) => h('option', { value }, text)),
  );
  return { wrap: h('div', { class: 'control' }, h('label', { for: id }, label), input), input };
}

/**
 * Search, status, software and NIP filters and a sort choice (the one way to sort on a phone, where
 * the table's header is hidden), plus "Show all relays". Every input has a visible label; the
 * inputs filter as they change, no submit.
 */
export function createControls(
  facets: { statuses: string[]; software: string[]; nips: number[] },
  onChange: () => void,
): Controls {
  const text = h('input', {
    id: 'f-text',
    name: 'q',
    type: 'search',
    autocomplete: 'off',
    placeholder: 'URL or name',
  });
  const status = select('f-status', 'Status', [
    ['', 'every status'],
    ...facets.statuses.map((s): [string, string] => [s, s.replace('_', ' ')]),
  ]);
  const software = select('f-software', 'Software', [
    ['', 'any software'],
    ...facets.software.map((s): [string, string] => [s, softwareName(s)]),
  ]);
  const nip = select('f-nip', 'Supports NIP', [
    ['', 'any NIP'],
    ...facets.nips.map((n): [string, string] => [String(n), `NIP-${String(n).padStart(2, '0')}`]),
  ]);
  const sort = select(
    'f-sort',
    'Sort by',
    SORT_KEYS.map((k): [string, string] => [k, SORT_LABELS[k]]),
  );
  const dir = select('f-dir', 'Order', [
    ['desc', 'highest first'],
    ['asc', 'lowest first'],
  ]);
  const reset = h('button', { type: 'button', class: 'reset', id: 'f-reset' }, 'Show all relays');

  text.addEventListener('input', onChange);
  for (const { input } of [status, software, nip, sort, dir]) input.addEventListener('change', onChange);

  const controls: Controls = {
    element: h(
      'div',
      { class: 'controls', role: 'search', 'aria-label': 'Filter and sort relays' },
      h('div', { class: 'control grow' }, h('label', { for: 'f-text' }, 'Search'), text),
      status.wrap,
      software.wrap,
      nip.wrap,
      sort.wrap,
      dir.wrap,
      h('div', { class: 'control' }, reset),
    ),
    read: () => ({
      text: text.value,
      status: status.input.value,
      software: software.input.value,
      nip: nip.input.value,
      sort: sort.input.value as SortKey,
      dir: dir.input.value === 'asc' ? 'asc' : 'desc',
    }),
    show(state) {
      text.value = state.text;
      status.input.value = state.status;
      software.input.value = state.software;
      nip.input.value = state.nip;
      sort.input.value = state.sort;
      dir.input.value = state.dir;
    },
  };
  reset.addEventListener('click', () => {
    controls.show(DEFAULT_STATE);
    onChange();
  });
  return controls;
}
