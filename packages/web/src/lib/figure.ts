import { type Child, h } from './dom.js';
import { formatCompact, formatExact, formatMs, formatPct, isRounded } from './format.js';

/** How a figure is written. */
export type FigureFormat = 'count' | 'pct' | 'ms' | 'rate';

export interface FigureOptions {
  /** Where the value comes from in the API body (e.g. `overview.events.unique`), for readers and tests. */
  path?: string;
  format?: FigureFormat;
  /** A unit after the exact value in the tooltip ("events", "sats"). */
  unit?: string;
  /** Why a missing value is missing (shown in its tooltip). */
  reason?: string;
}

function shown(value: number, format: FigureFormat): string {
  if (format === 'pct') return formatPct(value);
  if (format === 'ms') return formatMs(value);
  if (format === 'rate') return `${formatExact(value)}/s`;
  return formatCompact(value);
}

function exact(value: number, format: FigureFormat, unit: string | undefined): string {
  const base =
    format === 'pct'
      ? `${formatExact(value)} %`
      : format === 'ms'
        ? `${formatExact(value)} ms`
        : formatExact(value);
  const suffix = format === 'rate' ? ' per second' : '';
  return `${base}${unit ? ` ${unit}` : ''}${suffix}`;
}

/**
 * One figure. The visible text may be rounded ("1.4k"); the exact value is in `title` (hover),
 * in the `value` attribute of the `<data>` element, and in a screen-reader-only text that is
 * read instead of the rounded one. A missing value (`null`: the system cannot know it yet) is a
 * dash whose tooltip says so, never a zero.
 */
export function figure(
  value: unknown,
  { path, format = 'count', unit, reason }: FigureOptions = {},
): HTMLElement {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    const why = reason ?? 'not known yet';
    return h(
      'span',
      { class: 'fig none', title: why, 'data-figure': path, 'data-null': true },
      h('span', { 'aria-hidden': 'true' }, '—'),
      h('span', { class: 'sr-only' }, why),
    );
  }
  const text = shown(value, format);
  const full = exact(value, format, unit);
  const rounded = format === 'count' && isRounded(value);
  return h(
    'data',
    { class: rounded ? 'fig rounded' : 'fig', value: String(value), title: full, 'data-figure': path },
    h('span', { 'aria-hidden': 'true' }, text),
    h('span', { class: 'sr-only' }, full),
  );
}

/** A labelled figure card inside a `<dl class="cards">`. */
export function card(label: string, value: HTMLElement, ...notes: Child[]): HTMLElement {
  return h(
    'div',
    { class: 'card' },
    h('dt', {}, label),
    h('dd', {}, value),
    ...notes.map((n) => n && h('dd', { class: 'note' }, n)),
  );
}
