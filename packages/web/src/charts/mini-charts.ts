import { svg } from '../lib/dom.js';
import { formatExact } from '../lib/format.js';
import { kindShort } from '../lib/kinds.js';

/** The kinds every relay row is drawn with, in a fixed order so rows compare at a glance. */
export const MIX_KINDS = ['1', '7', '9735', '0', '3', '10002', '30023'] as const;

const W = 84;
const H = 24;

/**
 * A relay's events by kind as a row of small bars (one per kind, same order on every row, scaled
 * to the relay's largest kind), with the exact counts in its accessible name and tooltip. This is
 * what the API serves per relay today; a per-relay time series does not exist yet.
 */
export function kindMix(byKind: Record<string, number>): SVGSVGElement {
  const counts = MIX_KINDS.map((k) => byKind[k] ?? 0);
  const other = Object.entries(byKind)
    .filter(([k]) => !(MIX_KINDS as readonly string[]).includes(k))
    .reduce((sum, [, n]) => sum + n, 0);
  const all = [...counts, other];
  const max = Math.max(1, ...all);
  const slot = W / all.length;
  const label = all
    .map(
      (n, i) => `${i < MIX_KINDS.length ? kindShort(MIX_KINDS[i] ?? '') : 'other kinds'} ${formatExact(n)}`,
    )
    .join(', ');
  const bars = all.map((n, i) => {
    const height = n === 0 ? 0 : Math.max(1.5, (n / max) * (H - 2));
    return svg('rect', {
      class: `mix-${i + 1}`,
      x: (i * slot + 1).toFixed(1),
      y: (H - height).toFixed(1),
      width: (slot - 2).toFixed(1),
      height: height.toFixed(1),
    });
  });
  return svg(
    'svg',
    {
      class: 'kind-mix',
      viewBox: `0 0 ${W} ${H}`,
      width: W,
      height: H,
      role: 'img',
      'aria-label': `events by kind: ${label}`,
    },
    svg('title', {}, `Events by kind: ${label}`),
    svg('line', { class: 'baseline', x1: 0, x2: W, y1: H - 0.5, y2: H - 0.5 }),
    ...bars,
  );
}
