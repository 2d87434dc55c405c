import { h } from './dom.js';
import { RANGES, type Range } from './types.js';

const LABELS: Record<Range, string> = {
  '24h': '24 hours',
  '7d': '7 days',
  '30d': '30 days',
  '90d': '90 days',
  all: 'All time',
};

/** The range in the address (`?range=7d`); anything else is the API's default, 24h. */
export function currentRange(search = window.location.search): Range {
  const given = new URLSearchParams(search).get('range');
  return (RANGES as readonly string[]).includes(given ?? '') ? (given as Range) : '24h';
}

/** Words for a series' bucket: "per hour", "per day". */
export function perBucket(granularity: string): string {
  return granularity === 'day' ? 'per day' : 'per hour';
}

/** Words for a range: "the last 7 days", "all time". */
export function rangeWords(range: Range): string {
  return range === 'all' ? 'all time' : `the last ${LABELS[range].toLowerCase()}`;
}

/**
 * The range switch: plain links (`?range=…`), so it works with the keyboard, in a new tab and
 * with the back button; the current one is marked with `aria-current`.
 */
export function rangeNav(current: Range, path = window.location.pathname): HTMLElement {
  const items = RANGES.map((range) => {
    const params = new URLSearchParams(window.location.search);
    params.set('range', range);
    const link = h(
      'a',
      { href: `${path}?${params}`, 'aria-current': range === current ? 'true' : false, 'data-range': range },
      LABELS[range],
    );
    return h('li', {}, link);
  });
  return h('nav', { class: 'ranges', 'aria-label': 'Time range' }, h('ul', {}, ...items));
}
