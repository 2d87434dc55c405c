import type { Databases } from '@nostr-info/shared/db';
import { migratedEmbeddedDatabase, migratedTestDatabase } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aggregator } from '../src/aggregate/aggregator.js';
import { isEventShape, MAX_CREATED_AT, type NostrEvent } from '../src/protocol/event.js';
import { parseRelayInfo } from '../src/relay/nip11.js';
import { writeBuffer } from '../src/store/flush.js';
import { saveNip11, saveNip11Error } from '../src/store/relays-repo.js';

// Values any signer or relay can send that PostgreSQL refuses: U+0000 in text or jsonb, an index
// key over ~2.7 KB, a timestamp no Date can hold. One of them in a buffer would fail every retry
// of the flush (the buffer is kept and retried with the same rows) and stop collection for good.
// Each backend the product writes to takes the same buffer.

let n = 0;
const ev = (kind: number, tags: string[][], created = 1_700_000_000): NostrEvent => ({
  id: (n++).toString(16).padStart(64, '0'),
  pubkey: 'a'.repeat(64),
  created_at: created,
  kind,
  tags,
  content: '',
  sig: '0'.repeat(128),
});

const backends: [string, () => Promise<{ dbs: Databases; drop: () => Promise<void> }>][] = [
  ['PostgreSQL', () => migratedTestDatabase('collector_hostile')],
  [
    'PGlite',
    async () => {
      const dbs = await migratedEmbeddedDatabase();
      return { dbs, drop: () => dbs.close() };
    },
  ],
];

describe('created_at bound', () => {
  it('takes the last second a timestamp can hold and refuses anything later as malformed', () => {
    expect(isEventShape(ev(1, [], MAX_CREATED_AT))).toBe(true);
    expect(isEventShape(ev(1, [], MAX_CREATED_AT + 1))).toBe(false);
    expect(isEventShape(ev(1, [], 8.64e12 + 1))).toBe(false);
  });
});

describe.each(backends)('hostile values flush on %s', (_name, open) => {
  let dbs: Databases;
  let drop: () => Promise<void>;
  let relayId: number;
  beforeAll(async () => {
    ({ dbs, drop } = await open());
    const row = await dbs.writer
      .insertInto('relays')
      .values({ url: 'wss://hostile.example.com', source: 'seed', watched: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    relayId = row.id;
  });
  afterAll(() => drop());

  it('writes articles, replaceables and relay log lines carrying them in one flush', async () => {
    const at = Date.UTC(2026, 10, 24, 12);
    const long = 'x'.repeat(5000);
    const agg = new Aggregator();
    for (const tags of [
      [['d', 'nul\u0000inside']],
      [['d', 'nul\u0000inside']], // the same article again: one row
      [['d', 'nulinside']], // differs from the above only by the U+0000: its own article
      [['d', `${long}1`]],
      [['d', `${long}2`]], // shares the first 5,000 characters: its own article
      [['d', `${long}1`]],
      [['d', 'plain']],
    ]) {
      agg.recordUnique(ev(30023, tags), at);
    }
    agg.recordUnique(ev(0, [], MAX_CREATED_AT), at);
    agg.buffer.addLog({ relayId, at, event: 'notice', class: 'error\u0000', message: 'bad\u0000 notice' });
    await writeBuffer(dbs.writer, agg.take());

    const articles = await dbs.reader.selectFrom('articles').select(['d_tag', 'versions']).execute();
    expect(articles).toHaveLength(5);
    expect(articles.map((a) => a.versions).sort()).toEqual([1, 1, 1, 2, 2]);
    expect(articles.map((a) => a.d_tag)).toContain('plain');
    expect(articles.map((a) => a.d_tag)).toContain('nulinside');
    for (const a of articles) expect(a.d_tag.length).toBeLessThanOrEqual(256);
    const profile = await dbs.reader.selectFrom('replaceable_events').select('created_at').executeTakeFirst();
    expect(profile?.created_at.toISOString()).toBe('9999-12-31T23:59:59.000Z');
    const logs = await dbs.reader.selectFrom('relay_logs').select(['class', 'message']).execute();
    expect(logs).toEqual([{ class: 'error', message: 'bad notice' }]);
  });

  it('stores a NIP-11 document and an error message that carry U+0000', async () => {
    const info = parseRelayInfo({
      name: 'relay\u0000name',
      software: 'x\u0000',
      'key\u0000': ['v\u0000', { nested: '\u0000' }],
      supported_nips: [1, 11, 2 ** 40, -1],
      limitation: { max_message_length: 2 ** 40 },
    });
    await saveNip11(dbs.writer, relayId, info);
    const row = await dbs.reader
      .selectFrom('relays')
      .select(['name', 'software', 'supported_nips', 'nip11', 'max_message_length'])
      .where('id', '=', relayId)
      .executeTakeFirstOrThrow();
    expect(row.name).toBe('relayname');
    expect(row.software).toBe('x');
    expect(row.supported_nips).toEqual([1, 11]);
    expect(row.max_message_length).toBeNull();
    expect(row.nip11).toMatchObject({ key: ['v', { nested: '' }] });

    await saveNip11Error(dbs.writer, relayId, 'Unexpected token \u0000 in JSON');
    const failed = await dbs.reader
      .selectFrom('relays')
      .select('nip11_error')
      .where('id', '=', relayId)
      .executeTakeFirstOrThrow();
    expect(failed.nip11_error).toBe('Unexpected token  in JSON');
  });
});
