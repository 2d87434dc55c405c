import { type TimeChart, timeChart } from '../charts/time-chart.js';
import { getJson } from '../lib/api.js';
import { h, keepDetailsOpen, replaceChildren } from '../lib/dom.js';
import { currentRange, rangeNav, rangeWords } from '../lib/range.js';
import { appRoot, StatusBar, setPage, showProblem } from '../lib/shell.js';
import type { FullSnapshot } from '../lib/types.js';
import { eventsChart, usersChart, zapsChart } from './overview-charts.js';
import { allFigures, headlineCards } from './overview-figures.js';
import { clientsPanels, kindsPanel, topRelayPanels } from './overview-tables.js';

/**
 * `/`: the network at a glance for one range, from one `GET /api/v1/stats/full/<range>`; live
 * figures from the stream, and the whole view again (revalidated) when a new snapshot lands.
 */
export function overviewPage(): void {
  const range = currentRange();
  setPage(
    'overview',
    'Nostr network statistics',
    `The Nostr network over ${rangeWords(range)}, as seen from the relays nostr-info watches.`,
  );
  const root = appRoot();
  const status = new StatusBar();
  const body = h('div', { class: 'view' });
  replaceChildren(root, rangeNav(range), status.element, body);
  let charts: TimeChart[] = [];

  const render = (s: FullSnapshot) => {
    const reopen = keepDetailsOpen(body);
    for (const c of charts) c.destroy();
    charts = [eventsChart(s, range), usersChart(s, range), zapsChart(s, range)].map(timeChart);
    status.setComputedAt(s.computed_at);
    replaceChildren(
      body,
      h(
        'section',
        { 'aria-labelledby': 'h-figures' },
        h('h2', { id: 'h-figures' }, 'At a glance'),
        headlineCards(s.overview),
        allFigures(s.overview),
      ),
      h(
        'section',
        { 'aria-labelledby': 'h-charts' },
        h('h2', { id: 'h-charts' }, 'Over time'),
        h('div', { class: 'charts' }, ...charts.map((c) => c.element)),
      ),
      h(
        'section',
        { 'aria-labelledby': 'h-clients' },
        h('h2', { id: 'h-clients' }, 'Clients'),
        h('div', { class: 'panels' }, ...clientsPanels(s)),
      ),
      h(
        'section',
        { 'aria-labelledby': 'h-relays' },
        h('h2', { id: 'h-relays' }, 'Relays'),
        h('div', { class: 'panels' }, ...topRelayPanels(s)),
        h(
          'p',
          {},
          h(
            'a',
            { href: `/relays${range === '24h' ? '' : `?range=${range}`}` },
            'Every relay, sortable and filterable →',
          ),
        ),
      ),
      h('section', { 'aria-labelledby': 'h-kinds' }, h('h2', { id: 'h-kinds' }, 'Kinds'), kindsPanel(s)),
    );
    reopen();
    root.removeAttribute('aria-busy');
    root.dataset.loaded = s.computed_at;
  };

  const load = async (revalidate: boolean) => {
    try {
      render(await getJson<FullSnapshot>(`/api/v1/stats/full/${range}`, { revalidate }));
    } catch (err) {
      for (const c of charts) c.destroy();
      charts = [];
      showProblem(body, err);
      root.removeAttribute('aria-busy');
    }
  };
  void load(false);
  status.connect(() => void load(true));
}
