import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CounterBuffer } from '../src/aggregate/counter-buffer.js';
import { writeBuffer } from '../src/store/flush.js';
import { seedRelays } from '../src/store/relays-repo.js';
import { createWorld, type TestWorld } from './helpers/context.js';

// Outages as the flush writes them, on the real database: a re-written buffer lands on the same
// rows; a replica taking a relay over mid-outage continues the earlier holder's outage (its own
// later start is absorbed) or, when the relay serves for it, ends that outage then.

const T0 = Date.UTC(2026, 11, 6, 10);
const TCP = { cause: 'tcp', detail: 'ECONNREFUSED' } as const;

describe('relay outages in the flush', () => {
  let world: TestWorld;
  let ctx: Awaited<ReturnType<TestWorld['context']>>;
  let ids: number[];

  beforeAll(async () => {
    world = await createWorld('outage_store');
    ctx = await world.context({ RELAYS: 'wss://a.example.com' });
    await seedRelays(ctx.dbs.writer, ['wss://a.example.com', 'wss://b.example.com']);
    ids = (await ctx.dbs.writer.selectFrom('relays').select('id').orderBy('url').execute()).map((r) => r.id);
  });
  afterAll(async () => {
    await world.drop();
  });

  const rows = (relayId: number) =>
    ctx.dbs.writer
      .selectFrom('relay_outages')
      .select(['started_at', 'ended_at', 'cause', 'detail'])
      .where('relay_id', '=', relayId)
      .orderBy('started_at')
      .execute();

  it('writes a confirmed outage idempotently and ends it', async () => {
    const [a] = ids as [number];
    const buffer = new CounterBuffer();
    buffer.outages.write({ relayId: a, startedAt: T0, endedAt: null, ...TCP });
    await writeBuffer(ctx.dbs.writer, buffer);
    await writeBuffer(ctx.dbs.writer, buffer);
    expect(await rows(a)).toEqual([{ started_at: new Date(T0), ended_at: null, ...TCP }]);
    const end = new CounterBuffer();
    end.outages.write({ relayId: a, startedAt: T0, endedAt: T0 + 90_000, ...TCP });
    await writeBuffer(ctx.dbs.writer, end);
    expect(await rows(a)).toEqual([{ started_at: new Date(T0), ended_at: new Date(T0 + 90_000), ...TCP }]);
  });

  it("continues an earlier holder's ongoing outage, then ends it when the relay serves", async () => {
    const [, b] = ids as [number, number];
    const first = new CounterBuffer();
    first.outages.write({ relayId: b, startedAt: T0, endedAt: null, ...TCP });
    await writeBuffer(ctx.dbs.writer, first);
    // The next holder began watching later and confirmed its own outage from then: one outage.
    const next = new CounterBuffer();
    next.outages.write({
      relayId: b,
      startedAt: T0 + 600_000,
      endedAt: null,
      cause: 'dns',
      detail: 'ENOTFOUND',
    });
    await writeBuffer(ctx.dbs.writer, next);
    expect(await rows(b)).toEqual([
      { started_at: new Date(T0), ended_at: null, cause: 'dns', detail: 'ENOTFOUND' },
    ]);
    // It serves for the next holder: the outage ends then, still one row.
    const served = new CounterBuffer();
    served.outages.served(b, T0 + 700_000);
    await writeBuffer(ctx.dbs.writer, served);
    expect(await rows(b)).toEqual([
      { started_at: new Date(T0), ended_at: new Date(T0 + 700_000), cause: 'dns', detail: 'ENOTFOUND' },
    ]);
    // A later outage is its own.
    const later = new CounterBuffer();
    later.outages.write({ relayId: b, startedAt: T0 + 900_000, endedAt: null, ...TCP });
    await writeBuffer(ctx.dbs.writer, later);
    expect((await rows(b)).map((r) => r.started_at.getTime())).toEqual([T0, T0 + 900_000]);
  });
});
