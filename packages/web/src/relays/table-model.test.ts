import { describe, expect, it } from 'vitest';
import type { RelayRow } from '../lib/types.js';
import {
  DEFAULT_STATE,
  facets,
  filterRows,
  type IndexedRow,
  readState,
  softwareName,
  sortRows,
  writeState,
} from './table-model.js';

function relay(url: string, fields: Partial<RelayRow> = {}): RelayRow {
  return {
    url,
    name: null,
    software: null,
    version: null,
    supported_nips: [],
    auth_required: null,
    payment_required: null,
    status: 'online',
    uptime_pct: null,
    open_latency_ms: null,
    eose_latency_ms: null,
    events: 0,
    events_by_kind: {},
    invalid: 0,
    share_pct: 0,
    last_seen: null,
    last_event_at: null,
    ...fields,
  } as RelayRow;
}

const rows: IndexedRow[] = [
  relay('wss://a.example', {
    name: 'Alpha',
    events: 10,
    uptime_pct: 99,
    software: 'strfry',
    supported_nips: [1, 11],
  }),
  relay('wss://b.example', { events: 30, uptime_pct: null, status: 'offline', supported_nips: [1] }),
  relay('wss://c.example', {
    name: 'charlie',
    events: 20,
    uptime_pct: 50,
    software: 'nostr-rs-relay',
    supported_nips: [11, 42],
  }),
].map((row, index) => ({ row, index }));

const urls = (list: IndexedRow[]) => list.map((r) => r.row.url);

describe('relays table model', () => {
  it('shows every relay by default, most events first', () => {
    const shown = sortRows(filterRows(rows, DEFAULT_STATE), DEFAULT_STATE.sort, DEFAULT_STATE.dir);
    expect(urls(shown)).toEqual(['wss://b.example', 'wss://c.example', 'wss://a.example']);
  });

  it('sorts both ways, with missing values last either way', () => {
    expect(urls(sortRows(rows, 'uptime', 'desc'))).toEqual([
      'wss://a.example',
      'wss://c.example',
      'wss://b.example',
    ]);
    expect(urls(sortRows(rows, 'uptime', 'asc'))).toEqual([
      'wss://c.example',
      'wss://a.example',
      'wss://b.example',
    ]);
    // Names before URLs, case-insensitively: "Alpha", "charlie", then b's URL.
    expect(urls(sortRows(rows, 'relay', 'asc'))).toEqual([
      'wss://a.example',
      'wss://c.example',
      'wss://b.example',
    ]);
  });

  it('filters by text, status, software and NIP, and combines them', () => {
    const only = (over: Partial<typeof DEFAULT_STATE>) =>
      urls(filterRows(rows, { ...DEFAULT_STATE, ...over }));
    expect(only({ text: 'CHAR' })).toEqual(['wss://c.example']);
    expect(only({ text: 'b.exa' })).toEqual(['wss://b.example']);
    expect(only({ status: 'offline' })).toEqual(['wss://b.example']);
    expect(only({ software: '(unknown)' })).toEqual(['wss://b.example']);
    expect(only({ nip: '11' })).toEqual(['wss://a.example', 'wss://c.example']);
    expect(only({ nip: '11', software: 'strfry' })).toEqual(['wss://a.example']);
    expect(only({ nip: '50' })).toEqual([]);
  });

  it('offers the values present as filter choices', () => {
    expect(facets(rows.map((r) => r.row))).toEqual({
      statuses: ['offline', 'online'],
      software: ['(unknown)', 'nostr-rs-relay', 'strfry'],
      nips: [1, 11, 42],
    });
  });

  it('keeps the choices in the address and reads them back; junk falls back to the default', () => {
    const state = {
      text: 'x y',
      status: 'online',
      software: 'strfry',
      nip: '11',
      sort: 'uptime' as const,
      dir: 'asc' as const,
    };
    const search = writeState(state, '7d');
    expect(new URLSearchParams(search).get('range')).toBe('7d');
    expect(readState(search)).toEqual(state);
    expect(writeState(DEFAULT_STATE, '24h')).toBe('');
    expect(readState('?sort=nope&dir=up&nip=x')).toEqual(DEFAULT_STATE);
  });

  it('names software by its repository when it gives one', () => {
    expect(softwareName('git+https://github.com/hoytech/strfry.git')).toBe('strfry');
    expect(softwareName('https://git.example/relays/khatru/')).toBe('khatru');
    expect(softwareName('nostr-rs-relay')).toBe('nostr-rs-relay');
  });
});
