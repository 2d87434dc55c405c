/** A relay server as the network starts and stops it. */
export interface RelayServer {
  listen(host: string, port: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * Makes and starts `count` relays one after another, relay i on `port + i` (or each on a random
 * free port with port 0). If one fails to listen, every relay made so far is closed again.
 */
export async function startRelays<R extends RelayServer>(
  count: number,
  make: (index: number) => R,
  /** Address every relay listens on, or the address of relay i. */
  host: string | ((index: number) => string),
  port: number,
): Promise<R[]> {
  const relays: R[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const relay = make(i);
      relays.push(relay);
      await relay.listen(typeof host === 'string' ? host : host(i), port ? port + i : 0);
    }
  } catch (err) {
    await Promise.all(relays.map((r) => r.close()));
    throw err;
  }
  return relays;
}
