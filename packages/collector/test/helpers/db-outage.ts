import { startSimNetwork } from '@nostr-info/relay-sim';
import type { Databases } from '@nostr-info/shared/db';
import { sql } from 'kysely';
import { startCollector } from '../../src/collector.js';
import type { TestWorld } from './context.js';

/** Refuses new connections to database `name` and ends the open ones; `restore()` undoes it. */
export async function refuseConnections(admin: Databases, name: string): Promise<() => Promise<void>> {
  await sql`alter database ${sql.id(name)} with allow_connections false`.execute(admin.writer);
  await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name}`.execute(
    admin.writer,
  );
  return async () => {
    await sql`alter database ${sql.id(name)} with allow_connections true`.execute(admin.writer);
  };
}

/**
 * Six simulated relays (paused until the caller resumes them) and a collector over them with room
 * to buffer through an outage, subscribed to all six; both are stopped by `cleanups`.
 */
export async function outageScene(world: TestWorld, seed: string, cleanups: (() => Promise<void>)[]) {
  const net = await startSimNetwork({ relays: 6, seed, rate: 150, autoStart: false });
  cleanups.push(() => net.stop());
  const ctx = await world.context({ RELAYS: net.urls.join(','), BUFFER_MAX_KEYS: '100000' });
  const service = await startCollector(ctx, { nip11: false });
  cleanups.push(() => service.stop());
  await net.waitForSubscribers(6, 15_000);
  return { net, ctx, service };
}
