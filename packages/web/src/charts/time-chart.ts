import uPlot from 'uplot';
import { h, replaceChildren } from '../lib/dom.js';
import { formatCompact, formatExact, formatTime } from '../lib/format.js';
import { type ChartTheme, chartTheme, onSchemeChange } from './palette.js';

/** One line (or bar series) of a time chart. */
export interface SeriesSpec {
  label: string;
  /** One value per time point; `null` draws a gap. */
  values: (number | null)[];
  bars?: boolean;
  /** False for a rate or a share (uptime, a median): the summary gives its mean, not a total. */
  summable?: boolean;
}

export interface TimeChartSpec {
  /** Stable id, also `data-chart` on the figure (tests and styles). */
  id: string;
  title: string;
  /** One sentence under the title: what is counted, per what. */
  description: string;
  /** ISO timestamps of the buckets. */
  times: string[];
  series: SeriesSpec[];
}

/** A mounted chart; `destroy` frees uPlot and its listeners. */
export interface TimeChart {
  readonly element: HTMLElement;
  destroy(): void;
}

const HEIGHT_PX = 240;
const SMALL_HEIGHT_PX = 200;

function summary(spec: TimeChartSpec): string {
  const parts = spec.series.map((s) => {
    const values = s.values.filter((v): v is number => typeof v === 'number');
    const total = values.reduce((a, b) => a + b, 0);
    const max = values.length ? Math.max(...values) : 0;
    if (s.summable === false) {
      const mean = values.length ? total / values.length : null;
      return `${s.label}: mean ${mean === null ? '—' : formatExact(mean)}, highest ${formatExact(max)}`;
    }
    return `${s.label}: total ${formatExact(total)}, highest ${formatExact(max)}`;
  });
  return `${spec.title}. ${spec.times.length} points. ${parts.join('; ')}. The data table below lists every value.`;
}

/** The chart's values as a table, built when the reader opens it (keyboard and screen readers). */
function dataTable(spec: TimeChartSpec): HTMLElement {
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, 'time'),
    ...spec.series.map((s) => h('th', { scope: 'col' }, s.label)),
  );
  const rows = spec.times.map((t, i) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, h('time', { datetime: t }, formatTime(t))),
      ...spec.series.map((s) => {
        const v = s.values[i];
        return h('td', { class: 'num' }, typeof v === 'number' ? formatExact(v) : '—');
      }),
    ),
  );
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', { class: 'data' }, h('thead', {}, head), h('tbody', {}, ...rows)),
  );
}

function options(spec: TimeChartSpec, theme: ChartTheme, width: number): uPlot.Options {
  const bars = uPlot.paths.bars?.({ size: [0.7, 24] });
  const axis = {
    stroke: theme.axis,
    font: theme.font,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
  };
  return {
    width,
    height: width < 500 ? SMALL_HEIGHT_PX : HEIGHT_PX,
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true } },
    series: [
      { value: (_u, v) => (v == null ? '—' : formatTime(new Date(v * 1000).toISOString())) },
      ...spec.series.map((s, i) => {
        const color = theme.series[i % theme.series.length] ?? theme.axis;
        return {
          label: s.label,
          stroke: color,
          width: 2,
          ...(s.bars && bars ? { paths: bars, fill: color } : {}),
          points: { show: spec.times.length <= 48 && !s.bars },
          value: (_u: uPlot, v: number | null) => (v == null ? '—' : formatExact(v)),
        };
      }),
    ],
    axes: [axis, { ...axis, size: 52, values: (_u, splits) => splits.map((v) => formatCompact(v)) }],
  };
}

/**
 * A uPlot time chart in a `<figure>`: caption, the canvas (an image with a text summary for
 * screen readers), and a data table to open. It takes the width of its container, follows it
 * when the container resizes, and redraws in the new colours when the colour scheme changes.
 */
export function timeChart(spec: TimeChartSpec): TimeChart {
  const plot = h('div', { class: 'plot' });
  // The id keeps it open across a live re-render (see `keepDetailsOpen`).
  const table = h('details', { class: 'chart-data', id: `${spec.id}-data` }, h('summary', {}, 'Data table'));
  table.addEventListener('toggle', () => {
    if (table.open && table.childElementCount === 1) table.append(dataTable(spec));
  });
  const element = h(
    'figure',
    { class: 'chart', 'data-chart': spec.id },
    h('figcaption', {}, h('h3', {}, spec.title), h('p', { class: 'muted' }, spec.description)),
    plot,
    table,
  );
  if (spec.times.length === 0) {
    replaceChildren(plot, h('p', { class: 'muted empty' }, 'No data in this range yet.'));
    return { element, destroy() {} };
  }
  const data: uPlot.AlignedData = [
    spec.times.map((t) => Date.parse(t) / 1000),
    ...spec.series.map((s) => s.values),
  ];
  let chart: uPlot | undefined;
  const draw = () => {
    const width = Math.floor(plot.clientWidth);
    if (width <= 0) return;
    chart?.destroy();
    chart = new uPlot(options(spec, chartTheme(), width), data, plot);
    const canvasArea = chart.root.querySelector('.u-wrap');
    canvasArea?.setAttribute('role', 'img');
    canvasArea?.setAttribute('aria-label', summary(spec));
  };
  let lastWidth = 0;
  const resize = new ResizeObserver(() => {
    const width = Math.floor(plot.clientWidth);
    if (width === lastWidth || width <= 0) return;
    lastWidth = width;
    if (chart) chart.setSize({ width, height: width < 500 ? SMALL_HEIGHT_PX : HEIGHT_PX });
    else draw();
  });
  resize.observe(plot);
  const stopScheme = onSchemeChange(draw);
  return {
    element,
    destroy() {
      resize.disconnect();
      stopScheme();
      chart?.destroy();
    },
  };
}
