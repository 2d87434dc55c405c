import type { TimeChartSpec } from '../charts/time-chart.js';
import { h, timeOf } from '../lib/dom.js';
import { formatDuration, formatExact } from '../lib/format.js';
import { perBucket, rangeWords } from '../lib/range.js';
import type { Range, RelayHistory, RelayOutage, RelayOutages } from '../lib/types.js';

/** The relay's uptime per bucket (a gap where nobody watched it). */
export function uptimeChart(history: RelayHistory, range: Range): TimeChartSpec {
  return {
    id: 'relay-uptime',
    title: 'Uptime',
    description: `Share of the watched time the relay served the subscription, in percent, ${perBucket(history.granularity)} over ${rangeWords(range)}; time it refused for want of auth or payment is left out.`,
    times: history.series.map((p) => p.t),
    series: [{ label: 'uptime %', values: history.series.map((p) => p.uptime_pct), summable: false }],
  };
}

/** Median connect and REQ → EOSE latency per bucket (a gap where nothing was measured). */
export function latencyChart(history: RelayHistory, range: Range): TimeChartSpec {
  return {
    id: 'relay-latency',
    title: 'Latency',
    description: `Median time from connecting to the WebSocket opening, and from REQ to EOSE, in milliseconds (the upper bound of the median's histogram bucket), ${perBucket(history.granularity)} over ${rangeWords(range)}.`,
    times: history.series.map((p) => p.t),
    series: [
      { label: 'open, median ms', values: history.series.map((p) => p.open_latency_ms.p50), summable: false },
      { label: 'EOSE, median ms', values: history.series.map((p) => p.eose_latency_ms.p50), summable: false },
    ],
  };
}

function outageRow(o: RelayOutage): HTMLElement {
  return h(
    'tr',
    { 'data-started': o.started_at },
    h('th', { scope: 'row' }, timeOf(o.started_at)),
    h('td', {}, o.ended_at ? timeOf(o.ended_at) : h('strong', {}, 'ongoing')),
    h(
      'td',
      { class: 'num', title: `${formatExact(o.duration_seconds)} s` },
      formatDuration(o.duration_seconds),
    ),
    h('td', {}, h('code', {}, o.cause)),
    h('td', {}, o.detail ?? '—'),
  );
}

/** The confirmed outages the API listed, newest first, as a table (or a sentence when none). */
export function outagesTable(outages: RelayOutages, range: Range): HTMLElement {
  if (outages.outages.length === 0)
    return h('p', { class: 'muted empty', 'data-outages': '0' }, 'No confirmed outage in this range.');
  const head = h(
    'tr',
    {},
    ...['Started', 'Ended', 'Duration', 'Cause', 'Detail'].map((c) =>
      h('th', { scope: 'col', class: c === 'Duration' ? 'num' : null }, c),
    ),
  );
  return h(
    'div',
    { class: 'table-wrap', 'data-outages': String(outages.outages.length) },
    h(
      'table',
      { class: 'data outages' },
      h(
        'caption',
        {},
        `Outages in ${range === 'all' ? 'the whole history' : rangeWords(range)}, newest first${outages.truncated ? ' (the newest only: there are more)' : ''}. An outage starts when the relay stopped serving and counts once it lasted 30 s.`,
      ),
      h('thead', {}, head),
      h('tbody', {}, ...outages.outages.map(outageRow)),
    ),
  );
}
