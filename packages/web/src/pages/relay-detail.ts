import { type TimeChart, timeChart } from '../charts/time-chart.js';
import { getJson } from '../lib/api.js';
import { type Child, h, keepDetailsOpen, replaceChildren, timeOf } from '../lib/dom.js';
import { card, figure } from '../lib/figure.js';
import { figureTable } from '../lib/figure-table.js';
import { formatAgo } from '../lib/format.js';
import { kindLabel, kindsBySize } from '../lib/kinds.js';
import { currentRange, rangeNav, rangeWords } from '../lib/range.js';
import { appRoot, StatusBar, setPage, showProblem } from '../lib/shell.js';
import type { RelayDetail, RelayHistory, RelayInfo, RelayOutages, RelayRow } from '../lib/types.js';
import { statusBadge } from '../relays/table-view.js';
import { latencyChart, outagesTable, uptimeChart } from './relay-health.js';

/** The relay URL of `/relays/<url-encoded url>`, or undefined for a path that does not decode. */
export function relayUrlFromPath(pathname = window.location.pathname): string | undefined {
  const encoded = pathname.slice('/relays/'.length);
  try {
    return decodeURIComponent(encoded) || undefined;
  } catch {
    return undefined;
  }
}

const when = (iso: string | null): Child => (iso ? h('span', {}, timeOf(iso), ` (${formatAgo(iso)})`) : '—');
const formatOf = (path: string) => (path.endsWith('_pct') ? 'pct' : path.endsWith('_ms') ? 'ms' : 'count');
const yesNo = (v: boolean | null): string => (v === null ? 'not stated' : v ? 'yes' : 'no');

function figures(stats: RelayRow | null, relay: RelayInfo | null): HTMLElement {
  const status = stats?.status ?? relay?.status ?? 'unknown';
  const since = relay?.status_changed_at ?? null;
  return h(
    'dl',
    { class: 'cards' },
    card('Status', statusBadge(status), since ? h('span', {}, 'since ', when(since)) : null),
    card(
      'Uptime',
      figure(stats?.uptime_pct ?? null, {
        path: 'stats.uptime_pct',
        format: 'pct',
        reason: 'not observed in this range',
      }),
    ),
    card(
      'Open latency',
      figure(stats?.open_latency_ms ?? null, {
        path: 'stats.open_latency_ms',
        format: 'ms',
        reason: 'not measured yet',
      }),
    ),
    card(
      'REQ → EOSE',
      figure(stats?.eose_latency_ms ?? null, {
        path: 'stats.eose_latency_ms',
        format: 'ms',
        reason: 'not measured yet',
      }),
    ),
    card(
      'Events delivered',
      figure(stats?.events ?? null, {
        path: 'stats.events',
        unit: 'events',
        reason: 'no figures in this range',
      }),
    ),
    card(
      'Share of network events',
      figure(stats?.share_pct ?? null, {
        path: 'stats.share_pct',
        format: 'pct',
        reason: 'no figures in this range',
      }),
    ),
    card(
      'Invalid copies',
      figure(stats?.invalid ?? null, {
        path: 'stats.invalid',
        unit: 'copies',
        reason: 'no figures in this range',
      }),
    ),
  );
}

function kinds(stats: RelayRow | null): HTMLElement {
  const byKind = stats?.events_by_kind ?? {};
  const total = Object.values(byKind).reduce((a, b) => a + b, 0);
  const rows = kindsBySize(byKind).map((kind) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, kindLabel(kind)),
      h(
        'td',
        { class: 'num' },
        figure(byKind[kind] ?? 0, { path: `stats.events_by_kind.${kind}`, unit: 'events' }),
      ),
      h(
        'td',
        { class: 'num' },
        figure(total > 0 ? Math.round(((byKind[kind] ?? 0) / total) * 10_000) / 100 : 0, { format: 'pct' }),
      ),
    ),
  );
  if (rows.length === 0) return h('p', { class: 'muted' }, 'This relay delivered no events in this range.');
  return h(
    'div',
    { class: 'panel' },
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data' },
        h('caption', {}, 'Events delivered, by kind'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'kind'),
            h('th', { scope: 'col', class: 'num' }, 'events'),
            h('th', { scope: 'col', class: 'num' }, 'share'),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
    ),
  );
}

function facts(relay: RelayInfo | null, stats: RelayRow | null): HTMLElement {
  const nips = relay?.supported_nips ?? stats?.supported_nips ?? [];
  const entries: [string, Child][] = [
    ['Name', relay?.name ?? stats?.name ?? '—'],
    ['Description', relay?.description ?? '—'],
    ['Software', relay?.software ?? stats?.software ?? '—'],
    ['Version', relay?.version ?? stats?.version ?? '—'],
    ['Supported NIPs', nips.length ? nips.map((n) => `NIP-${String(n).padStart(2, '0')}`).join(', ') : '—'],
    ['Authentication required', yesNo(relay?.auth_required ?? stats?.auth_required ?? null)],
    ['Payment required', yesNo(relay?.payment_required ?? stats?.payment_required ?? null)],
    ['Restricted writes', yesNo(relay?.restricted_writes ?? null)],
    [
      'Max message length',
      figure(relay?.max_message_length ?? null, {
        path: 'relay.max_message_length',
        unit: 'bytes',
        reason: 'not stated',
      }),
    ],
    [
      'Max subscriptions',
      figure(relay?.max_subscriptions ?? null, { path: 'relay.max_subscriptions', reason: 'not stated' }),
    ],
    ['Contact', relay?.contact ?? '—'],
    ['Operator public key', relay?.pubkey ? h('code', { class: 'key' }, relay.pubkey) : '—'],
    ['Known from', relay ? `${relay.source}${relay.watched ? ', watched' : ', not watched'}` : '—'],
    ['First seen', when(relay?.first_seen_at ?? null)],
    ['Last connected', when(relay?.last_connected_at ?? stats?.last_seen ?? null)],
    ['Last disconnected', when(relay?.last_disconnected_at ?? null)],
    ['Last event', when(relay?.last_event_at ?? stats?.last_event_at ?? null)],
    ['Information document fetched', when(relay?.nip11_fetched_at ?? null)],
  ];
  return h(
    'dl',
    { class: 'facts' },
    ...entries.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))),
  );
}

/** What the relay page shows: the relay's figures, and its history and outages in the range. */
interface RelayView {
  detail: RelayDetail;
  /** Its history and outages, or why they could not be had (the rest of the page still shows). */
  history: RelayHistory | Error;
  outages: RelayOutages | Error;
}

/** A section's own problem, in its place. */
function sectionProblem(err: Error): HTMLElement {
  return h('p', { class: 'problem', role: 'status' }, `Could not be loaded: ${err.message}`);
}

/**
 * `/relays/<url>`: one relay in the range — its figures and events by kind
 * (`GET /api/v1/relays/:url?range=`), uptime and latency over time (`…/history`), its outages
 * (`…/outages`) and its NIP-11 facts.
 */
export function relayDetailPage(): void {
  const range = currentRange();
  const url = relayUrlFromPath();
  const root = appRoot();
  setPage(
    'relays',
    url ?? 'Relay',
    `Figures over ${rangeWords(range)} and the relay's information document.`,
  );
  if (!url) {
    showProblem(root, new Error('not a relay address'));
    return;
  }
  const status = new StatusBar();
  const body = h('div', { class: 'view' });
  replaceChildren(
    root,
    h(
      'p',
      { class: 'back' },
      h('a', { href: `/relays${range === '24h' ? '' : `?range=${range}`}` }, '← All relays'),
    ),
    rangeNav(range),
    status.element,
    body,
  );

  let charts: TimeChart[] = [];
  const render = ({ detail: d, history, outages }: RelayView) => {
    const reopen = keepDetailsOpen(body);
    for (const c of charts) c.destroy();
    charts =
      history instanceof Error
        ? []
        : [uptimeChart(history, range), latencyChart(history, range)].map(timeChart);
    setPage('relays', d.relay?.name?.trim() || d.stats?.name?.trim() || d.url, d.url);
    status.setComputedAt(d.computed_at);
    replaceChildren(
      body,
      h(
        'section',
        { 'aria-labelledby': 'h-relay-figures' },
        h('h2', { id: 'h-relay-figures' }, 'In this range'),
        figures(d.stats, d.relay),
        d.stats &&
          figureTable(d.stats, {
            id: 'relay-figures',
            summary: 'Every figure of this relay',
            pathPrefix: 'stats',
            formatOf,
          }),
      ),
      h(
        'section',
        { 'aria-labelledby': 'h-relay-kinds' },
        h('h2', { id: 'h-relay-kinds' }, 'Events by kind'),
        kinds(d.stats),
      ),
      h(
        'section',
        { 'aria-labelledby': 'h-relay-health' },
        h('h2', { id: 'h-relay-health' }, 'Health over time'),
        history instanceof Error
          ? sectionProblem(history)
          : h('div', { class: 'charts' }, ...charts.map((c) => c.element)),
      ),
      h(
        'section',
        { 'aria-labelledby': 'h-relay-outages' },
        h('h2', { id: 'h-relay-outages' }, 'Outages'),
        outages instanceof Error ? sectionProblem(outages) : outagesTable(outages, range),
      ),
      h(
        'section',
        { 'aria-labelledby': 'h-relay-facts' },
        h('h2', { id: 'h-relay-facts' }, 'Information document (NIP-11)'),
        facts(d.relay, d.stats),
      ),
    );
    reopen();
    root.removeAttribute('aria-busy');
    root.dataset.loaded = d.computed_at ?? 'none';
  };

  const base = `/api/v1/relays/${encodeURIComponent(url)}`;
  const part = <T>(path: string, revalidate: boolean) =>
    getJson<T>(`${base}${path}?range=${range}`, { revalidate }).catch((err: unknown) =>
      err instanceof Error ? err : new Error(String(err)),
    );
  const load = async (revalidate: boolean) => {
    try {
      const [detail, history, outages] = await Promise.all([
        getJson<RelayDetail>(`${base}?range=${range}`, { revalidate }),
        part<RelayHistory>('/history', revalidate),
        part<RelayOutages>('/outages', revalidate),
      ]);
      render({ detail, history, outages });
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
