import { getJson } from '../lib/api.js';
import { h, replaceChildren } from '../lib/dom.js';
import { formatExact } from '../lib/format.js';
import { currentRange, rangeNav, rangeWords } from '../lib/range.js';
import { appRoot, StatusBar, setPage, showProblem } from '../lib/shell.js';
import type { RelaysSection } from '../lib/types.js';
import { type Controls, createControls } from '../relays/controls.js';
import {
  facets,
  filterRows,
  type IndexedRow,
  readState,
  type SortKey,
  type TableState,
  writeState,
} from '../relays/table-model.js';
import { indexRows, renderTable } from '../relays/table-view.js';

/**
 * `/relays`: every relay of one range's snapshot (`GET /api/v1/stats/relays?range=`), one row
 * each, filtered and sorted in the page; the choices live in the address. A new snapshot reloads
 * the rows and keeps the choices.
 */
export function relaysPage(): void {
  const range = currentRange();
  setPage('relays', 'Relays', `Every relay nostr-info watches, with its figures over ${rangeWords(range)}.`);
  const root = appRoot();
  const status = new StatusBar();
  const body = h('div', { class: 'view' });
  replaceChildren(root, rangeNav(range), status.element, body);

  let state: TableState = readState(window.location.search);
  let rows: IndexedRow[] = [];
  let controls: Controls | undefined;
  const count = h('p', { class: 'count', role: 'status', 'aria-live': 'polite' });
  const tableWrap = h('div', { class: 'table-wrap relays-wrap' });

  const update = () => {
    const shown = filterRows(rows, state);
    count.textContent = `Showing ${formatExact(shown.length)} of ${formatExact(rows.length)} relays`;
    count.dataset.shown = String(shown.length);
    count.dataset.total = String(rows.length);
    renderTable(tableWrap, shown, state, range, onSort);
    const search = writeState(state, range);
    if (search !== window.location.search)
      window.history.replaceState(null, '', `${window.location.pathname}${search}`);
  };
  const onSort = (key: SortKey) => {
    // A second click on the current column turns the order round; a new column starts highest first
    // for figures and A→Z for names and words.
    const words = key === 'relay' || key === 'status' || key === 'software';
    const dir = state.sort === key ? (state.dir === 'asc' ? 'desc' : 'asc') : words ? 'asc' : 'desc';
    state = { ...state, sort: key, dir };
    controls?.show(state);
    update();
    tableWrap.querySelector<HTMLButtonElement>(`button[data-sort="${key}"]`)?.focus();
  };

  const render = (section: RelaysSection) => {
    // A refresh rebuilds the inputs: the one being used keeps the focus.
    const focused = document.activeElement?.id;
    rows = indexRows(section.relays);
    status.setComputedAt(section.computed_at);
    controls = createControls(facets(section.relays), () => {
      if (controls) state = controls.read();
      update();
    });
    controls.show(state);
    replaceChildren(body, controls.element, count, tableWrap);
    update();
    if (focused?.startsWith('f-')) document.getElementById(focused)?.focus();
    root.removeAttribute('aria-busy');
    root.dataset.loaded = section.computed_at;
  };

  const load = async (revalidate: boolean) => {
    try {
      render(await getJson<RelaysSection>(`/api/v1/stats/relays?range=${range}`, { revalidate }));
    } catch (err) {
      showProblem(body, err);
      root.removeAttribute('aria-busy');
    }
  };
  void load(false);
  status.connect(() => void load(true));
}
