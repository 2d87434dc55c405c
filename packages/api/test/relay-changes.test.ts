import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRelayUrl } from './fixtures.js';
import { type InProcessApi, inProcessApi } from './in-process-api.js';

// The NIP-11 change log as served: the rows the collector writes (`relay_nip11_changes`, one per
// changed field), newest first, with both values and their time; `limit` bounds it. The collector
// side (an edited document becoming these rows) is tested in the collector's nip11-changes test.

let api: InProcessApi;
const url = fixtureRelayUrl(1);
const enc = encodeURIComponent;
const fetchedAt = new Date('2026-12-01T12:00:00Z');

interface Changes {
  url: string;
  checked_at: string | null;
  changes: { at: string; field: string; old: unknown; new: unknown }[];
}

beforeAll(async () => {
  api = await inProcessApi('changes');
  const w = api.ctx.dbs.writer;
  const relay = await w
    .updateTable('relays')
    .set({ nip11_fetched_at: fetchedAt })
    .where('url', '=', url)
    .returning('id')
    .executeTakeFirstOrThrow();
  const other = await w
    .insertInto('relays')
    .values({ url: fixtureRelayUrl(2), source: 'seed', watched: true })
    .returning('id')
    .executeTakeFirstOrThrow();
  const row = (relay_id: number, at: string, field: string, from: unknown, to: unknown) => ({
    relay_id,
    at: new Date(at),
    field,
    old_value: from === null ? null : JSON.stringify(from),
    new_value: to === null ? null : JSON.stringify(to),
  });
  await w
    .insertInto('relay_nip11_changes')
    .values([
      row(relay.id, '2026-11-01T08:00:00Z', 'version', '1.0.0', '1.1.0'),
      row(relay.id, '2026-11-20T09:30:00Z', 'supported_nips', [1, 11], [1, 11, 50]),
      row(relay.id, '2026-11-20T09:30:00Z', 'fees', null, { admission: [{ amount: 21, unit: 'sats' }] }),
      row(relay.id, '2026-11-25T10:00:00Z', 'name', 'Relay 1', 'Relay One'),
      row(other.id, '2026-11-26T10:00:00Z', 'name', 'Two', 'Deux'),
    ])
    .execute();
}, 60_000);

afterAll(async () => {
  await api?.close();
});

describe('relay NIP-11 change log', () => {
  it("lists the relay's changes newest first, with both values and their time", async () => {
    const res = await api.app.request(`/api/v1/relays/${enc(url)}/changes`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(res.headers.get('etag')).toMatch(/^"[\w-]+"$/);
    const body = (await res.json()) as Changes;
    expect(api.validator.response('/api/v1/relays/{url}/changes', 200, body)).toEqual([]);
    expect(body.url).toBe(url);
    expect(body.checked_at).toBe(fetchedAt.toISOString());
    expect(body.changes).toEqual([
      { at: '2026-11-25T10:00:00.000Z', field: 'name', old: 'Relay 1', new: 'Relay One' },
      {
        at: '2026-11-20T09:30:00.000Z',
        field: 'fees',
        old: null,
        new: { admission: [{ amount: 21, unit: 'sats' }] },
      },
      { at: '2026-11-20T09:30:00.000Z', field: 'supported_nips', old: [1, 11], new: [1, 11, 50] },
      { at: '2026-11-01T08:00:00.000Z', field: 'version', old: '1.0.0', new: '1.1.0' },
    ]);
  });

  it('bounds the list with limit', async () => {
    const res = await api.app.request(`/api/v1/relays/${enc(url)}/changes?limit=1`);
    const body = (await res.json()) as Changes;
    expect(body.changes.map((c) => c.field)).toEqual(['name']);
  });

  it('answers bad input and unknown relays with JSON errors', async () => {
    for (const [path, status, code] of [
      [`/api/v1/relays/${enc(url)}/changes?limit=0`, 400, 'invalid_parameter'],
      [`/api/v1/relays/${enc(url)}/changes?limit=many`, 400, 'invalid_parameter'],
      [`/api/v1/relays/${enc('ftp://x.example')}/changes`, 400, 'invalid_parameter'],
      [`/api/v1/relays/${enc('wss://nobody.example')}/changes`, 404, 'not_found'],
    ] as const) {
      const res = await api.app.request(path);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(((await res.json()) as { error: { code: string } }).error.code, path).toBe(code);
    }
  });
});
