import type { RelayRow } from '../lib/types.js';

/** Columns the table sorts by. */
export const SORT_KEYS = [
  'relay',
  'status',
  'software',
  'nips',
  'uptime',
  'latency',
  'events',
  'share',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

/** The reader's choices; the default shows every relay, most events first. */
export interface TableState {
  /** Matched against URL and name, case-insensitively. */
  text: string;
  /** A status, or '' for every status. */
  status: string;
  /** A software name, '(unknown)' for relays without one, or '' for all. */
  software: string;
  /** A NIP number as text, or '' for all. */
  nip: string;
  sort: SortKey;
  dir: SortDir;
}

export const DEFAULT_STATE: TableState = {
  text: '',
  status: '',
  software: '',
  nip: '',
  sort: 'events',
  dir: 'desc',
};

/** A relay row with its position in the API's list (the figures' paths use it). */
export interface IndexedRow {
  row: RelayRow;
  index: number;
}

export const UNKNOWN_SOFTWARE = '(unknown)';

/**
 * A software field as people say it: relays often give their repository
 * (`git+https://github.com/hoytech/strfry.git`); its last path segment is the name ("strfry").
 */
export function softwareName(software: string): string {
  const text = software.trim().replace(/^git\+/, '');
  if (!/^[a-z]+:\/\//i.test(text)) return text;
  const last = text.replace(/\/+$/, '').split('/').pop() ?? text;
  return last.replace(/\.git$/, '') || text;
}

const softwareOf = (row: RelayRow) => row.software?.trim() || UNKNOWN_SOFTWARE;

/** The value a column sorts by; `null` sorts last in both directions. */
function sortValue(row: RelayRow, key: SortKey): string | number | null {
  switch (key) {
    case 'relay':
      return (row.name?.trim() || row.url).toLowerCase();
    case 'status':
      return row.status;
    case 'software':
      return row.software ? row.software.toLowerCase() : null;
    case 'nips':
      return row.supported_nips.length;
    case 'uptime':
      return row.uptime_pct;
    case 'latency':
      return row.open_latency_ms;
    case 'events':
      return row.events;
    case 'share':
      return row.share_pct;
  }
}

/** Rows that pass every filter of `state`. */
export function filterRows(rows: readonly IndexedRow[], state: TableState): IndexedRow[] {
  const text = state.text.trim().toLowerCase();
  const nip = state.nip === '' ? undefined : Number(state.nip);
  return rows.filter(({ row }) => {
    if (text && !row.url.toLowerCase().includes(text) && !(row.name ?? '').toLowerCase().includes(text))
      return false;
    if (state.status && row.status !== state.status) return false;
    if (state.software && softwareOf(row) !== state.software) return false;
    if (nip !== undefined && !row.supported_nips.includes(nip)) return false;
    return true;
  });
}

/** A sorted copy; ties keep the URL order, so the order is the same on every render. */
export function sortRows(rows: readonly IndexedRow[], sort: SortKey, dir: SortDir): IndexedRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = sortValue(a.row, sort);
    const vb = sortValue(b.row, sort);
    if (va === null || vb === null) {
      if (va !== vb) return va === null ? 1 : -1;
    } else if (va !== vb) {
      return (va < vb ? -1 : 1) * sign;
    }
    return a.row.url < b.row.url ? -1 : a.row.url > b.row.url ? 1 : 0;
  });
}

/** The choices the filters offer: the values present in the rows. */
export function facets(rows: readonly RelayRow[]): {
  statuses: string[];
  software: string[];
  nips: number[];
} {
  const statuses = new Set<string>();
  const software = new Set<string>();
  const nips = new Set<number>();
  for (const row of rows) {
    statuses.add(row.status);
    software.add(softwareOf(row));
    for (const n of row.supported_nips) nips.add(n);
  }
  const byText = (a: string, b: string) => a.localeCompare(b);
  return {
    statuses: [...statuses].sort(byText),
    software: [...software].sort(byText),
    nips: [...nips].sort((a, b) => a - b),
  };
}

/** The state kept in the address (`?q=…&status=…&sort=…`), so a view can be shared or bookmarked. */
export function readState(search: string): TableState {
  const p = new URLSearchParams(search);
  const sort = p.get('sort') ?? '';
  const dir = p.get('dir');
  const nip = p.get('nip') ?? '';
  return {
    text: p.get('q') ?? '',
    status: p.get('status') ?? '',
    software: p.get('software') ?? '',
    nip: /^\d{1,5}$/.test(nip) ? nip : '',
    sort: (SORT_KEYS as readonly string[]).includes(sort) ? (sort as SortKey) : DEFAULT_STATE.sort,
    dir: dir === 'asc' || dir === 'desc' ? dir : DEFAULT_STATE.dir,
  };
}

/** The inverse of `readState`: only what differs from the default, plus the range when not 24h. */
export function writeState(state: TableState, range: string): string {
  const p = new URLSearchParams();
  if (range !== '24h') p.set('range', range);
  if (state.text) p.set('q', state.text);
  if (state.status) p.set('status', state.status);
  if (state.software) p.set('software', state.software);
  if (state.nip) p.set('nip', state.nip);
  if (state.sort !== DEFAULT_STATE.sort || state.dir !== DEFAULT_STATE.dir) {
    p.set('sort', state.sort);
    p.set('dir', state.dir);
  }
  const text = p.toString();
  return text ? `?${text}` : '';
}
