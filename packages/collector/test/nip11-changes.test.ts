import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@nostr-info/shared/log';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { fetchRelayInfo } from '../src/relay/nip11.js';
import { RelayConnection } from '../src/relay/relay-connection.js';
import { Reconciler } from '../src/shard/reconciler.js';
import { fixedReplicas } from '../src/shard/replica-count.js';
import { saveNip11 } from '../src/store/relays-repo.js';
import { testHost } from './helpers/connection-host.js';
import { createWorld, type TestWorld } from './helpers/context.js';

// The NIP-11 change log on the real database, fed by a relay on loopback whose information
// document the test edits: HTTP with `Accept: application/nostr+json` on the relay's own port, and
// a WebSocket that answers every REQ with EOSE. A change of a tracked field is logged once, with
// the time it was seen; a fetch that finds the same document (other key or NIP order) logs none;
// a reconnect fetches the document again without waiting for the periodic refresh.

/** A relay on loopback serving `doc` as its NIP-11 document. */
async function startDocRelay(doc: { current: Record<string, unknown> }) {
  const server: Server = createServer((req, res) => {
    if (!(req.headers.accept ?? '').includes('application/nostr+json')) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/nostr+json' });
    res.end(JSON.stringify(doc.current));
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as unknown[];
      if (msg[0] === 'REQ') ws.send(JSON.stringify(['EOSE', msg[1]]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    dropClients: () => {
      for (const ws of wss.clients) ws.terminate();
    },
    stop: async () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

const V1 = {
  name: 'Test relay',
  software: 'git+https://example.com/relay.git',
  version: '1.0.0',
  supported_nips: [1, 11, 42],
  limitation: { max_subscriptions: 20, auth_required: false },
};

describe('NIP-11 change log', () => {
  let world: TestWorld;
  let ctx: Awaited<ReturnType<TestWorld['context']>>;
  const doc = { current: structuredClone(V1) as Record<string, unknown> };
  let relay: Awaited<ReturnType<typeof startDocRelay>>;

  beforeAll(async () => {
    world = await createWorld('nip11_changes');
    ctx = await world.context({});
    relay = await startDocRelay(doc);
  });
  afterAll(async () => {
    await relay?.stop();
    await world?.drop();
  });

  const changesOf = (relayId: number) =>
    ctx.dbs.writer
      .selectFrom('relay_nip11_changes')
      .select(['field', 'old_value', 'new_value', 'at'])
      .where('relay_id', '=', relayId)
      .orderBy('id')
      .execute();

  it('logs each changed tracked field once, with its time, and nothing for an equal document', async () => {
    const db = ctx.dbs.writer;
    const { id } = await db
      .insertInto('relays')
      .values({ url: 'wss://edited.example', source: 'manual', watched: false })
      .returning('id')
      .executeTakeFirstOrThrow();
    const fetchAndSave = async () => saveNip11(db, id, await fetchRelayInfo(relay.url));

    // The first document is the baseline.
    doc.current = structuredClone(V1);
    expect(await fetchAndSave()).toEqual([]);
    // Same fields, keys and NIPs in another order, an untracked field changed: no change.
    doc.current = {
      limitation: { auth_required: false, max_subscriptions: 20 },
      supported_nips: [42, 11, 1],
      version: '1.0.0',
      software: V1.software,
      name: V1.name,
      description: 'a new description is not tracked',
    };
    expect(await fetchAndSave()).toEqual([]);
    expect(await changesOf(id)).toEqual([]);

    const before = new Date();
    doc.current = {
      ...V1,
      version: '1.1.0',
      supported_nips: [1, 11, 42, 50],
      limitation: { ...V1.limitation, auth_required: true },
      fees: { admission: [{ amount: 1000, unit: 'sats' }] },
    };
    const changes = await fetchAndSave();
    const after = new Date();
    expect(changes.map((c) => c.field)).toEqual(['version', 'supported_nips', 'limitation', 'fees']);
    const rows = await changesOf(id);
    expect(rows.map(({ field, old_value, new_value }) => ({ field, old_value, new_value }))).toEqual([
      { field: 'version', old_value: '1.0.0', new_value: '1.1.0' },
      { field: 'supported_nips', old_value: [1, 11, 42], new_value: [1, 11, 42, 50] },
      {
        field: 'limitation',
        old_value: { auth_required: false, max_subscriptions: 20 },
        new_value: { auth_required: true, max_subscriptions: 20 },
      },
      { field: 'fees', old_value: null, new_value: { admission: [{ amount: 1000, unit: 'sats' }] } },
    ]);
    for (const row of rows) {
      expect(row.at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
      expect(row.at.getTime()).toBeLessThanOrEqual(after.getTime() + 1000);
    }
    // Fetched again unchanged: nothing more.
    expect(await fetchAndSave()).toEqual([]);
    expect(await changesOf(id)).toHaveLength(4);
    // The relay's columns follow the document.
    const stored = await db
      .selectFrom('relays')
      .select(['version', 'supported_nips', 'auth_required'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ version: '1.1.0', supported_nips: [1, 11, 42, 50], auth_required: true });
  });

  it('fetches the document again when the relay reconnects, and logs the edit made meanwhile', async () => {
    const db = ctx.dbs.writer;
    doc.current = structuredClone(V1);
    const { id } = await db
      .insertInto('relays')
      .values({ url: relay.url, source: 'seed', watched: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { host } = testHost();
    const connections = new Map<number, RelayConnection>();
    const reconciler = new Reconciler({
      db,
      ordinal: 0,
      replicas: fixedReplicas(1),
      connections,
      createConnection: (r) => new RelayConnection(r.id, r.url, host, { backoffInitialMs: 50 }),
      logger: createLogger({ level: 'silent', pretty: false }),
      metrics: host.metrics,
      // The periodic refresh is far off: only the reconnect can bring the edit in.
      nip11RefreshMs: 3_600_000,
      nip11MinGapMs: 0,
    });
    try {
      // First sight: connected, and the first document stored as the baseline.
      await expect
        .poll(async () => {
          await reconciler.tick();
          const row = await db
            .selectFrom('relays')
            .select('version')
            .where('id', '=', id)
            .executeTakeFirstOrThrow();
          return { opened: connections.get(id)?.socketsOpened, version: row.version };
        })
        .toEqual({ opened: 1, version: '1.0.0' });

      doc.current = { ...V1, software: 'git+https://example.com/other-relay.git', version: '2.0.0' };
      const before = new Date();
      relay.dropClients();
      await expect
        .poll(
          async () => {
            await reconciler.tick();
            return (await changesOf(id)).map((r) => [r.field, r.old_value, r.new_value]);
          },
          { timeout: 10_000 },
        )
        .toEqual([
          ['software', V1.software, 'git+https://example.com/other-relay.git'],
          ['version', '1.0.0', '2.0.0'],
        ]);
      expect(connections.get(id)?.socketsOpened).toBeGreaterThanOrEqual(2);
      for (const row of await changesOf(id)) {
        expect(row.at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
        expect(row.at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      }
    } finally {
      await reconciler.close();
      await Promise.all([...connections.values()].map((c) => c.stop(100)));
    }
  });
});
