import type { HeldRelay } from '../aggregate/counter-buffer.js';
import type { DurableLedger, ResumeMark } from '../aggregate/durable-ledger.js';
import { CONNECTION_STATES, type ConnectionState } from '../observe/metrics.js';
import type { RelayConnection } from '../relay/relay-connection.js';

/** What the collector reads from and does to every connection it holds (a `RelayConnection`). */
export interface WatchedConnection {
  readonly url: string;
  /** False while the connection waits for its checkpoint to be handed over. */
  readonly started: boolean;
  readonly connected: boolean;
  readonly state: ConnectionState;
  readonly seen: { readonly bytes: number };
  pause(): void;
  resume(): void;
  accountHealth(): void;
  held(): HeldRelay;
  resumeMark(): ResumeMark | undefined;
}

/**
 * The connections of this replica, by relay id. The reconciler adds and removes them in
 * `byRelayId`; everyone else reads or drives them all at once through these methods.
 */
export class ConnectionSet<C extends WatchedConnection = RelayConnection> {
  /** The connections by relay id (the map the reconciler converges). */
  readonly byRelayId = new Map<number, C>();

  get size(): number {
    return this.byRelayId.size;
  }

  /** The connections now (a copy: safe to hold across awaits while the map changes). */
  list(): C[] {
    return [...this.byRelayId.values()];
  }

  /** Stops reading on every socket (back-pressure). */
  pauseAll(): void {
    for (const conn of this.byRelayId.values()) conn.pause();
  }

  /** Reads on every socket again. */
  resumeAll(): void {
    for (const conn of this.byRelayId.values()) conn.resume();
  }

  /** Lets every connection add its elapsed health time to the buffer (before a flush). */
  accountHealth(): void {
    for (const conn of this.byRelayId.values()) conn.accountHealth();
  }

  /** Records each started relay's resume mark in the ledger of the buffer about to be flushed. */
  markResume(ledger: DurableLedger): void {
    for (const [relayId, conn] of this.byRelayId) {
      if (!conn.started) continue;
      const mark = conn.resumeMark();
      if (mark) ledger.resume.set(relayId, mark);
    }
  }

  /**
   * Every relay this replica has started watching, whatever its socket is doing; one still
   * waiting for its checkpoint is not held yet.
   */
  held(): HeldRelay[] {
    return this.list()
      .filter((conn) => conn.started)
      .map((conn) => conn.held());
  }

  /** Connections with an open subscription. */
  connectedCount(): number {
    let connected = 0;
    for (const conn of this.byRelayId.values()) if (conn.connected) connected += 1;
    return connected;
  }

  /** Connections by state, every state present (a state nobody is in reads 0, not stale). */
  stateCounts(): Map<ConnectionState, number> {
    const states = new Map<ConnectionState, number>(CONNECTION_STATES.map((st) => [st, 0]));
    for (const conn of this.byRelayId.values()) states.set(conn.state, (states.get(conn.state) ?? 0) + 1);
    return states;
  }

  /** The relay URLs held. */
  urls(): string[] {
    return this.list().map((conn) => conn.url);
  }

  /** Bytes held by the connections' seen sets. */
  seenBytes(): number {
    let bytes = 0;
    for (const conn of this.byRelayId.values()) bytes += conn.seen.bytes;
    return bytes;
  }
}
