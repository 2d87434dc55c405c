import { h } from '../lib/dom.js';
import { card, figure } from '../lib/figure.js';
import { figureTable } from '../lib/figure-table.js';
import type { Overview } from '../lib/types.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A user figure may be a number (the `keys` tier), `null` (not knowable yet, with a reason nearby)
 * or, as the schema grows, an object of tiers; the headline is the `keys` tier either way.
 */
function headline(value: unknown): {
  value: unknown;
  path: string;
  tiers: [string, unknown][];
  reason?: string;
} {
  if (!isObject(value)) return { value, path: '', tiers: [] };
  const tiers = Object.entries(value).filter(
    ([k, v]) => k !== 'keys' && (typeof v === 'number' || v === null),
  );
  const reason = typeof value.reason === 'string' ? value.reason : undefined;
  return { value: value.keys, path: '.keys', tiers, ...(reason ? { reason } : {}) };
}

/**
 * Why new users are null: the range starts before first-seen dates are known (collection start,
 * or a completed backfill), so "first seen" would only mean "first seen by us".
 */
function warmingUp(overview: Overview, key: 'active' | 'new'): string | undefined {
  const coverage = (overview as Overview & { coverage?: Overview['coverage'] }).coverage;
  if (key !== 'new' || coverage?.new_users_status !== 'warming_up') return undefined;
  const since = coverage.known_since ? ` (first-seen dates are known from ${coverage.known_since})` : '';
  return `warming up: this range starts before collection began${since}`;
}

function userCard(label: string, overview: Overview, key: 'active' | 'new'): HTMLElement {
  const raw = (overview.users as Json)[key];
  const top = headline(raw);
  const reasonKey = (overview.users as Json)[`${key}_reason`];
  const reason =
    top.reason ?? (typeof reasonKey === 'string' ? reasonKey : undefined) ?? warmingUp(overview, key);
  const path = `overview.users.${key}${top.path}`;
  const notes = top.tiers.map(([tier, v]) =>
    h('span', {}, `${tier}: `, figure(v, { path: `overview.users.${key}.${tier}`, unit: 'users' })),
  );
  return card(label, figure(top.value, { path, unit: 'users', ...(reason ? { reason } : {}) }), ...notes);
}

/** The headline cards of the overview. */
export function headlineCards(o: Overview): HTMLElement {
  const zaps = o.zaps as Overview['zaps'] & Json;
  return h(
    'dl',
    { class: 'cards' },
    card(
      'Relays watched',
      figure(o.relays.watched, { path: 'overview.relays.watched', unit: 'relays' }),
      h('span', {}, figure(o.relays.known, { path: 'overview.relays.known' }), ' known'),
    ),
    card(
      'Relays online',
      figure(o.relays.online, { path: 'overview.relays.online', unit: 'relays' }),
      h('span', {}, figure(o.relays.active, { path: 'overview.relays.active' }), ' delivered events'),
    ),
    card('Unique events', figure(o.events.unique, { path: 'overview.events.unique', unit: 'events' })),
    userCard('Active users', o, 'active'),
    userCard('New users', o, 'new'),
    card(
      'Zaps',
      figure(zaps.count, { path: 'overview.zaps.count', unit: 'zaps' }),
      h('span', {}, figure(zaps.sats, { path: 'overview.zaps.sats', unit: 'sats' }), ' sats'),
    ),
    card('Articles', figure(o.articles, { path: 'overview.articles', unit: 'articles' })),
  );
}

/** Readable names for the overview's fields; a field without one is shown by its path. */
const LABELS: Record<string, string> = {
  'relays.known': 'relays known (discovered included)',
  'relays.watched': 'relays watched',
  'relays.online': 'relays online at computation',
  'relays.active': 'relays that delivered events',
  'events.unique': 'network-unique events',
  'events.relay_sum': 'events summed over relays',
  'events.invalid': 'invalid copies (bad id or signature)',
  'users.active': 'active users',
  'users.new': 'new users',
  'zaps.count': 'zaps counted',
  'zaps.sats': 'sats zapped',
  'zaps.senders': 'zap senders',
  'zaps.receivers': 'zap receivers',
  'zaps.flagged': 'zap receipts rejected for their amount',
  articles: 'long-form articles',
  'coverage.observed_fraction': 'share of the range observed (0 to 1)',
  'coverage.relays_watched': 'relays watched (coverage)',
};

const formatOf = (path: string) => (path.startsWith('latency.') ? ('ms' as const) : ('count' as const));

/**
 * Every figure of the overview section, exact: the ones on the cards and the ones not on a card
 * (invalid copies, latency percentiles, zap rejections …), fields added later included.
 */
export function allFigures(o: Overview): HTMLElement {
  const { range: _range, computed_at: _computed, ...rest } = o;
  return figureTable(rest, {
    id: 'all-figures',
    summary: 'Every figure of this snapshot',
    pathPrefix: 'overview',
    labels: LABELS,
    formatOf,
  });
}
