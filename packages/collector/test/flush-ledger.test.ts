import { connect, createServer, type Server, type Socket } from 'node:net';
import { createDatabases, type Databases } from '@nostr-info/shared/db';
import { createLogger } from '@nostr-info/shared/log';
import { type MigratedTestDatabase, migratedTestDatabase, testServices } from '@nostr-info/shared/testing';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aggregator } from '../src/aggregate/aggregator.js';
import { hourOf } from '../src/aggregate/buckets.js';
import { CounterBuffer } from '../src/aggregate/counter-buffer.js';
import { createCollectorMetrics } from '../src/observe/metrics.js';
import { writeBuffer } from '../src/store/flush.js';
import { Flusher } from '../src/store/flusher.js';
import { RecheckPacer } from '../src/zaps/recheck-pacer.js';
import { unverifiedEvents } from './helpers/unverified-events.js';

// A flush whose COMMIT reached PostgreSQL but whose answer was lost (the connection dropped in
// between) has landed; writing it again would double every counter in it. The collector talks to
// the real PostgreSQL through a TCP proxy that cuts the connection right after passing a chosen
// statement on, so the server runs it and the client never hears back.

/** Forwards to PostgreSQL; `cutAfter(pattern)` drops the next connection that sends it. */
class CuttingProxy {
  private readonly server: Server;
  private pattern: RegExp | undefined;
  private readonly sockets = new Set<Socket>();
  cuts = 0;

  constructor(target: { host: string; port: number }) {
    this.server = createServer((client) => {
      const upstream = connect(target.port, target.host);
      this.sockets.add(client).add(upstream);
      client.on('data', (chunk: Buffer) => {
        upstream.write(chunk);
        if (this.pattern?.test(chunk.toString('latin1'))) {
          this.pattern = undefined;
          this.cuts += 1;
          // The statement is on its way to the server; its answer never comes back.
          client.destroy();
          upstream.end();
        }
      });
      upstream.on('data', (chunk: Buffer) => {
        if (!client.destroyed) client.write(chunk);
      });
      for (const s of [client, upstream]) {
        s.on('error', () => undefined);
        s.on('close', () => {
          client.destroy();
          upstream.end();
        });
      }
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as { port: number }).port;
  }

  cutAfter(pattern: RegExp): void {
    this.pattern = pattern;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }
}

const event = unverifiedEvents('b'.repeat(64));
const note = () => event(1, [], 1_700_000_000);

describe('a flush whose outcome was not heard', () => {
  let db: MigratedTestDatabase;
  let proxied: Databases;
  let proxy: CuttingProxy;

  beforeAll(async () => {
    db = await migratedTestDatabase('collector_ledger');
    const target = new URL(testServices().TEST_PG_ADMIN_URL);
    proxy = new CuttingProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const port = await proxy.listen();
    const url = new URL(db.url);
    url.host = `127.0.0.1:${port}`;
    proxied = await createDatabases({ databaseUrl: url.toString(), poolMax: 1 });
  });

  afterAll(async () => {
    await proxied?.close();
    await proxy?.close();
    await db?.drop();
  });

  const networkEvents = async () => {
    const row = await db.dbs.reader
      .selectFrom('network_events_hourly')
      .select(sql<number>`coalesce(sum(events), 0)::int`.as('n'))
      .executeTakeFirstOrThrow();
    return row.n;
  };

  const flusherWith = (
    aggregator: Aggregator,
    options: Partial<ConstructorParameters<typeof Flusher>[0]> = {},
  ) =>
    new Flusher({
      db: proxied.writer,
      aggregator,
      metrics: createCollectorMetrics(new Registry()),
      logger: createLogger({ level: 'silent', pretty: false }),
      ...options,
    });

  it('is not written again when its COMMIT landed', async () => {
    const before = await networkEvents();
    const aggregator = new Aggregator();
    const flusher = flusherWith(aggregator);
    for (let i = 0; i < 5; i++) aggregator.recordUnique(note(), Date.UTC(2026, 10, 24, 9));
    proxy.cutAfter(/commit/i);
    expect(await flusher.flush()).toBe(false);
    expect(proxy.cuts).toBe(1);
    // It landed: the server ran the COMMIT (visible once the server has finished it).
    await expect.poll(networkEvents, { timeout: 5000, message: 'the cut flush to land' }).toBe(before + 5);
    expect(flusher.heldKeys).toBeGreaterThan(0);
    // More counted meanwhile; the retry asks the ledger and writes only the new counts.
    aggregator.recordUnique(note(), Date.UTC(2026, 10, 24, 9));
    expect(await flusher.flush()).toBe(true);
    expect(await networkEvents()).toBe(before + 6);
    expect(flusher.heldKeys).toBe(0);
  });

  it('is written again when it was cut before COMMIT (rolled back)', async () => {
    const before = await networkEvents();
    const aggregator = new Aggregator();
    const flusher = flusherWith(aggregator);
    for (let i = 0; i < 4; i++) aggregator.recordUnique(note(), Date.UTC(2026, 10, 24, 9));
    proxy.cutAfter(/network_events_hourly/);
    expect(await flusher.flush()).toBe(false);
    expect(await networkEvents()).toBe(before);
    expect(flusher.heldKeys).toBe(0);
    expect(await flusher.flush()).toBe(true);
    expect(await networkEvents()).toBe(before + 4);
  });

  it('leaves the zap rechecks of a rolled-back flush due for its retry', async () => {
    const at = Date.UTC(2026, 10, 24, 9);
    const receiver = 'f'.repeat(64);
    const hash = (c: string) => c.repeat(64);
    // Two receipts stored unverified: their recipient had no Lightning address yet.
    const seed = new CounterBuffer();
    for (const c of ['1', '2'])
      seed.zapVerdicts.claim({
        hour: hourOf(at),
        atMs: at,
        verdict: 'unverified',
        sats: 21,
        extraMsats: 0,
        sender: 'a'.repeat(64),
        receiver,
        signer: 'd'.repeat(64),
        recheck: false,
        paymentHash: hash(c),
        receiptId: hash(c),
      });
    await writeBuffer(db.dbs.writer, seed);
    const aggregator = new Aggregator();
    const rechecked: string[][] = [];
    const flusher = flusherWith(aggregator, {
      zapRechecks: new RecheckPacer(),
      afterFlush: (b) => rechecked.push(b.zapVerdicts.rechecks.map((r) => r.paymentHash).sort()),
    });
    // The recipient's profile names an address now; the flush that finds its receipts is cut
    // right after asking for them, and rolls back.
    aggregator.buffer.zapVerdicts.addAddress({
      pubkey: receiver,
      eventId: hash('0'),
      createdAt: 1,
      lud16: 'f@w.example',
      lud06: null,
    });
    const cuts = proxy.cuts;
    proxy.cutAfter(/"lightning_addresses" as "l"/);
    expect(await flusher.flush()).toBe(false);
    expect(proxy.cuts).toBe(cuts + 1);
    expect(rechecked).toEqual([]);
    // The retry asks again, and hands both receipts to the check once it committed.
    expect(await flusher.flush()).toBe(true);
    expect(rechecked).toEqual([[hash('1'), hash('2')]]);
  });
});
