import { formatTime } from './format.js';

/** A child given to `h`: nodes, text, or nothing (skipped). */
export type Child = Node | string | number | null | undefined | false;

/** Attributes given to `h`: strings are set as attributes, `false`/`null`/`undefined` are skipped. */
export type Attrs = Record<string, string | number | boolean | null | undefined>;

/**
 * Creates an element. Attributes are set one by one (never as markup), so text from the API can
 * never become HTML, and no `style` attribute is ever written: the page runs under a CSP without
 * `'unsafe-inline'`; everything visual comes from classes in the stylesheet.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element (presentation attributes such as `fill` are attributes, not styles). */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

/** Appends children, turning strings and numbers into text nodes. */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** The element with this id, or an error naming it (the HTML document is ours; a miss is a bug). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from the page`);
  return el as T;
}

/**
 * Remembers which `<details>` (by id) are open under `root`; the returned function opens them
 * again after `root` was rebuilt, so a live re-render keeps what the reader opened.
 */
export function keepDetailsOpen(root: HTMLElement): () => void {
  const open = new Set<string>();
  for (const d of root.querySelectorAll<HTMLDetailsElement>('details[open]')) if (d.id) open.add(d.id);
  return () => {
    for (const d of root.querySelectorAll<HTMLDetailsElement>('details')) if (open.has(d.id)) d.open = true;
  };
}

/** A `<time>` showing `iso` in the reader's time zone, the exact value as its tooltip. */
export function timeOf(iso: string): HTMLElement {
  return h('time', { datetime: iso, title: iso }, formatTime(iso));
}
