import { type Child, h } from '../lib/dom.js';
import { figure } from '../lib/figure.js';
import { kindLabel, kindsBySize } from '../lib/kinds.js';
import { relayHref } from '../lib/links.js';
import type { ClientRow, FullSnapshot } from '../lib/types.js';

/** Rows shown per ranking; the API's lists may be longer. */
const TOP = 10;

function table(caption: string, columns: string[], rows: HTMLElement[], empty: string): HTMLElement {
  if (rows.length === 0)
    return h('section', { class: 'panel' }, h('h3', {}, caption), h('p', { class: 'muted' }, empty));
  const head = h(
    'tr',
    {},
    ...columns.map((c, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : false }, c)),
  );
  return h(
    'section',
    { class: 'panel' },
    h(
      'div',
      { class: 'table-wrap' },
      h('table', { class: 'data' }, h('caption', {}, caption), h('thead', {}, head), h('tbody', {}, ...rows)),
    ),
  );
}

const row = (first: Child, ...cells: HTMLElement[]) =>
  h('tr', {}, h('th', { scope: 'row' }, first), ...cells.map((c) => h('td', { class: 'num' }, c)));

function clientRows(rows: ClientRow[], list: 'by_events' | 'by_users'): HTMLElement[] {
  return rows.slice(0, TOP).map((c, i) =>
    row(
      c.client,
      figure(c.events, { path: `clients.${list}.${i}.events`, unit: 'events' }),
      figure(c.users, { path: `clients.${list}.${i}.users`, unit: 'users' }),
      figure(list === 'by_events' ? c.events_share_pct : c.users_share_pct, {
        path: `clients.${list}.${i}.${list === 'by_events' ? 'events_share_pct' : 'users_share_pct'}`,
        format: 'pct',
      }),
    ),
  );
}

/** Top clients by events and by users (NIP-89 `client` tags). */
export function clientsPanels(s: FullSnapshot): HTMLElement[] {
  const none = 'No event in this range carried a client tag.';
  return [
    table(
      'Top clients by events',
      ['client', 'events', 'users', 'share of events'],
      clientRows(s.clients.by_events, 'by_events'),
      none,
    ),
    table(
      'Top clients by users',
      ['client', 'events', 'users', 'share of users'],
      clientRows(s.clients.by_users, 'by_users'),
      none,
    ),
  ];
}

const relayLink = (url: string, name: string | null, range: string) =>
  h(
    'a',
    { href: relayHref(url, range) },
    name ? h('span', {}, name, h('span', { class: 'url' }, url)) : h('span', { class: 'url' }, url),
  );

/** The most active and the most reliable relays. */
export function topRelayPanels(s: FullSnapshot): HTMLElement[] {
  const active = s.top_relays.most_active
    .slice(0, TOP)
    .map((r, i) =>
      row(
        relayLink(r.url, r.name, s.range),
        figure(r.events, { path: `top_relays.most_active.${i}.events`, unit: 'events' }),
        figure(r.share_pct, { path: `top_relays.most_active.${i}.share_pct`, format: 'pct' }),
      ),
    );
  const reliable = s.top_relays.most_reliable
    .slice(0, TOP)
    .map((r, i) =>
      row(
        relayLink(r.url, r.name, s.range),
        figure(r.uptime_pct, { path: `top_relays.most_reliable.${i}.uptime_pct`, format: 'pct' }),
        figure(r.events, { path: `top_relays.most_reliable.${i}.events`, unit: 'events' }),
      ),
    );
  return [
    table(
      'Most active relays',
      ['relay', 'events', 'share'],
      active,
      'No relay delivered events in this range.',
    ),
    table(
      'Most reliable relays',
      ['relay', 'uptime', 'events'],
      reliable,
      'No relay was observed long enough in this range.',
    ),
  ];
}

/** Network-unique events per kind, largest first. */
export function kindsPanel(s: FullSnapshot): HTMLElement {
  const rows = kindsBySize(s.events.by_kind).map((kind) => {
    const n = s.events.by_kind[kind] ?? 0;
    const share = s.events.total > 0 ? (n / s.events.total) * 100 : 0;
    return row(
      kindLabel(kind),
      figure(n, { path: `events.by_kind.${kind}`, unit: 'events' }),
      figure(Math.round(share * 100) / 100, { format: 'pct' }),
    );
  });
  return table('Events by kind', ['kind', 'events', 'share'], rows, 'No events in this range yet.');
}
