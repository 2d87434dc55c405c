/** Colours of the charts, read from the stylesheet's custom properties (they follow light/dark). */
export interface ChartTheme {
  series: string[];
  axis: string;
  grid: string;
  font: string;
}

const SERIES_VARS = 7;

/** The current theme; called again when `prefers-color-scheme` changes. */
export function chartTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const series: string[] = [];
  for (let i = 1; i <= SERIES_VARS; i++) series.push(read(`--chart-${i}`, '#0072b2'));
  return {
    series,
    axis: read('--muted', '#545b66'),
    grid: read('--grid', '#e3e6ea'),
    font: `12px ${read('--font', 'system-ui, sans-serif')}`,
  };
}

/** Runs `listener` when the reader's colour scheme changes (the charts redraw in the new colours). */
export function onSchemeChange(listener: () => void): () => void {
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}
