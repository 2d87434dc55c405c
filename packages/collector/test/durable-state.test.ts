import { randomBytes } from 'node:crypto';
import { createLogger } from '@nostr-info/shared/log';
import { type MigratedTestDatabase, migratedTestDatabase } from '@nostr-info/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aggregator } from '../src/aggregate/aggregator.js';
import type { CountedEvent } from '../src/aggregate/durable-ledger.js';
import { InvalidSeen } from '../src/dedup/invalid-seen.js';
import { RelaySeen } from '../src/dedup/relay-seen.js';
import { DurableResume } from '../src/shard/durable-resume.js';
import { Instances } from '../src/shard/instances.js';
import { FlushError, writeBuffer } from '../src/store/flush.js';
import { FencedError } from '../src/store/flush-durable.js';
import { unverifiedEvents } from './helpers/unverified-events.js';

/** Events with random ids (the durable keys are the ids' first 64 bits, as real ids differ there). */
const sequential = unverifiedEvents('a'.repeat(64));
const ev = (kind: number, tags: string[][], created: number) => ({
  ...sequential(kind, tags, created),
  id: randomBytes(32).toString('hex'),
});

// The durable half of a flush on a real PostgreSQL: ids counted network-wide are recognised when
// they come again (whoever flushes them), the ids credited per relay and its resume mark come back
// as a resume point, and a fenced instance's flush is refused whole.

const logger = createLogger({ level: 'silent' });

describe('durable collection state', () => {
  let db: MigratedTestDatabase;
  let relayId: number;

  beforeAll(async () => {
    db = await migratedTestDatabase('collector_durable');
    const row = await db.dbs.writer
      .insertInto('relays')
      .values({ url: 'wss://durable.example', source: 'manual' })
      .returning('id')
      .executeTakeFirstOrThrow();
    relayId = row.id;
  });
  afterAll(async () => {
    await db?.drop();
  });

  const instance = async (ordinal: number) => {
    const i = new Instances({ db: db.dbs.writer, logger, token: crypto.randomUUID(), ordinal });
    await i.register();
    return i;
  };

  /** A buffer holding `events` counted first from `relayId`, as the pipeline records them. */
  const bufferOf = (events: ReturnType<typeof ev>[], atMs: number) => {
    const a = new Aggregator();
    for (const e of events) {
      a.recordCopy(relayId, e.kind, atMs, false);
      a.buffer.durable.credit(relayId, e.id, e.created_at);
      a.buffer.durable.count(e, atMs, relayId);
      a.recordUnique(e, atMs);
    }
    return a.buffer;
  };

  const networkEvents = async () =>
    (
      await db.dbs.reader
        .selectFrom('network_events_hourly')
        .select(sql<number>`coalesce(sum(events), 0)::int`.as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  it('counts an event once whoever flushes it again, and gives the repeats to recount', async () => {
    const nowMs = Date.now();
    const nowSec = Math.floor(nowMs / 1000);
    const a = await instance(10);
    const b = await instance(11);
    const [e1, e2, e3] = [ev(1, [], nowSec), ev(1, [], nowSec), ev(7, [], nowSec)] as const;
    const repeats: string[][] = [];
    const write = (token: string) => ({
      token,
      windowSeconds: 3600,
      recount: (_: unknown, repeated: CountedEvent[]) => {
        repeats.push(repeated.map((r) => r.event.id));
      },
    });
    await writeBuffer(db.dbs.writer, bufferOf([e1, e2], nowMs), undefined, write(a.token));
    await writeBuffer(db.dbs.writer, bufferOf([e2, e3], nowMs), undefined, write(b.token));
    expect(repeats).toEqual([[e2.id]]);
    const counted = await db.dbs.reader
      .selectFrom('counted_events')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(counted.n).toBe(3);
    a.stop();
    b.stop();
  });

  it('takes repeated events out of the counts it writes', async () => {
    const nowMs = Date.now();
    const nowSec = Math.floor(nowMs / 1000);
    const i = await instance(12);
    const before = await networkEvents();
    const [e1, e2] = [ev(1, [], nowSec), ev(1, [], nowSec)] as const;
    const { takeOutRepeats } = await import('../src/aggregate/recount.js');
    const write = { token: i.token, windowSeconds: 3600, recount: takeOutRepeats };
    await writeBuffer(db.dbs.writer, bufferOf([e1], nowMs), undefined, write);
    await writeBuffer(db.dbs.writer, bufferOf([e1, e2], nowMs), undefined, write);
    expect((await networkEvents()) - before).toBe(2);
    i.stop();
  });

  it('gives a new holder the relay resume point and every id credited since its floor', async () => {
    const nowMs = Date.now();
    const nowSec = Math.floor(nowMs / 1000);
    const holder = await instance(13);
    const credited = [ev(1, [], nowSec - 60), ev(1, [], nowSec - 30), ev(7, [], nowSec - 5)];
    const buffer = bufferOf(credited, nowMs);
    buffer.durable.resume.set(relayId, { heardSec: nowSec - 2, floorSec: nowSec - 600 });
    await writeBuffer(db.dbs.writer, buffer, undefined, {
      token: holder.token,
      windowSeconds: 3600,
      recount: () => undefined,
    });
    // The holder dies; the instance that restarts under its ordinal fences it.
    const next = await instance(13);
    const stored = await new DurableResume({ db: db.dbs.writer, instances: next, windowSeconds: 3600 }).load(
      relayId,
    );
    expect(stored?.holder).toBe(holder.token);
    expect(stored?.holderDead).toBe(true);
    expect(stored?.checkpoint.lastHeardSec).toBe(nowSec - 2);
    expect(stored?.checkpoint.seen.floor).toBe(nowSec - 600);
    const seen = new RelaySeen({ lookbackSeconds: 900 });
    seen.import(stored?.checkpoint.seen ?? { floor: 0, ids: [] });
    for (const e of credited) expect(seen.has(e.id)).toBe(true);
    expect(seen.has(ev(1, [], nowSec).id)).toBe(false);
    holder.stop();
    next.stop();
  });

  it('gives a new holder every bad copy the relay was charged, so a replay is not charged again', async () => {
    const nowMs = Date.now();
    const nowSec = Math.floor(nowMs / 1000);
    const holder = await instance(14);
    const bad = ['shape:1', `${'e'.repeat(64)}:${'f'.repeat(128)}`, `off:${'d'.repeat(64)}`];
    const a = new Aggregator();
    const charged = new InvalidSeen();
    for (const key of bad) {
      expect(charged.first(key, (hi, lo) => a.buffer.durable.charge(relayId, hi, lo))).toBe(true);
      // The same bad copy again (a replay): not charged, not recorded again.
      expect(charged.first(key, () => expect.unreachable())).toBe(false);
    }
    a.recordInvalid(relayId, 1, nowMs);
    a.buffer.durable.resume.set(relayId, { heardSec: nowSec - 1, floorSec: nowSec - 600 });
    await writeBuffer(db.dbs.writer, a.buffer, undefined, {
      token: holder.token,
      windowSeconds: 3600,
      recount: () => undefined,
    });
    const next = await instance(14);
    const stored = await new DurableResume({ db: db.dbs.writer, instances: next, windowSeconds: 3600 }).load(
      relayId,
    );
    expect(stored?.checkpoint.charged?.length).toBeGreaterThanOrEqual(bad.length * 8);
    const resumed = new InvalidSeen();
    resumed.importPacked(stored?.checkpoint.charged ?? Buffer.alloc(0));
    for (const key of bad) expect(resumed.first(key)).toBe(false);
    expect(resumed.first('shape:2')).toBe(true);
    holder.stop();
    next.stop();
  });

  it('refuses the whole flush of a fenced instance', async () => {
    const nowMs = Date.now();
    const old = await instance(14);
    const before = await networkEvents();
    await instance(14);
    const attempt = writeBuffer(
      db.dbs.writer,
      bufferOf([ev(1, [], Math.floor(nowMs / 1000))], nowMs),
      undefined,
      {
        token: old.token,
        windowSeconds: 3600,
        recount: () => undefined,
      },
    );
    const err = await attempt.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlushError);
    expect((err as FlushError).cause).toBeInstanceOf(FencedError);
    expect(await networkEvents()).toBe(before);
    old.stop();
  });
});
