/** Colours of the shields.io palette, so the badges sit well beside the ones people already show. */
export const BADGE_COLORS = {
  brightgreen: '#4c1',
  green: '#97ca00',
  yellow: '#dfb317',
  orange: '#fe7d37',
  red: '#e05d44',
  blue: '#007ec6',
  lightgrey: '#9f9f9f',
} as const;
export type BadgeColor = keyof typeof BADGE_COLORS;

/**
 * Advance widths of Verdana at 11 px (the badges' font; DejaVu Sans, its stand-in on most Linux
 * systems, is a little wider), for sizing the two halves without a font at hand. Characters not
 * listed count as an average lowercase letter.
 */
const WIDTHS: Record<string, number> = {
  ' ': 3.9,
  '.': 3.9,
  ',': 3.9,
  ':': 4.6,
  '%': 12.3,
  '-': 4.6,
  '/': 4.9,
  '(': 5.0,
  ')': 5.0,
  i: 3.1,
  l: 3.1,
  j: 3.4,
  f: 3.9,
  t: 4.3,
  r: 4.7,
  m: 10.7,
  w: 9.0,
};
const DIGIT_WIDTH = 7.0;
const LOWER_WIDTH = 6.6;
const UPPER_WIDTH = 7.6;

/** Estimated width in px of `text` set in 11 px Verdana. */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    w += WIDTHS[ch] ?? (/[0-9]/.test(ch) ? DIGIT_WIDTH : /[A-Z]/.test(ch) ? UPPER_WIDTH : LOWER_WIDTH);
  }
  return w;
}

const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (ch) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[ch]};`);

/** Padding on each side of a half's text, in px. */
const PAD = 6;

/**
 * A flat, shields-style badge: `label` on grey, `value` on `color`, 20 px high, as a standalone SVG
 * document (valid XML, no script, no external reference) with a title for screen readers.
 */
export function renderBadge(label: string, value: string, color: BadgeColor): string {
  const lw = Math.round(textWidth(label) + 2 * PAD);
  const vw = Math.round(textWidth(value) + 2 * PAD);
  const w = lw + vw;
  const l = escapeXml(label);
  const v = escapeXml(value);
  const text = (x: number, s: string) =>
    `<text x="${x}" y="15" fill="#010101" fill-opacity=".3">${s}</text><text x="${x}" y="14">${s}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${l}: ${v}">`,
    `<title>${l}: ${v}</title>`,
    '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>',
    '<stop offset="1" stop-opacity=".1"/></linearGradient>',
    `<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>`,
    `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/>`,
    `<rect x="${lw}" width="${vw}" height="20" fill="${BADGE_COLORS[color]}"/>`,
    `<rect width="${w}" height="20" fill="url(#s)"/></g>`,
    '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" ',
    'text-rendering="geometricPrecision" font-size="11">',
    text(lw / 2, l),
    text(lw + vw / 2, v),
    '</g></svg>',
  ].join('');
}
