import type { Logger } from '@nostr-info/shared/log';
import type { CounterBuffer } from '../aggregate/counter-buffer.js';
import type { InvalidSeen } from '../dedup/invalid-seen.js';
import type { RelaySeen, RelaySeenState } from '../dedup/relay-seen.js';
import type { CollectorMetrics } from '../observe/metrics.js';
import type { OpenSubscriptions } from '../protocol/subscription-filter.js';

/** The relay an EVENT frame came from, as the collector sees it (a `RelayConnection`). */
export interface FrameSource {
  readonly relayId: number;
  readonly url: string;
  /** Ids this relay delivered recently (a resumed subscription's replay is not credited twice). */
  readonly seen: RelaySeen;
  /** Bad copies this relay was already charged for (and copies it sent outside the filter). */
  readonly invalidSeen: InvalidSeen;
  /** The subscriptions open on its socket: a copy must come under one and match its filter. */
  readonly subscriptions: OpenSubscriptions;
  /** A copy from this relay went to the signature check (its checkpoint waits for the answer). */
  verifyStarted(): void;
  /** The check of one of its copies answered. */
  verifySettled(): void;
}

/** What a connection needs from the collector around it. */
export interface ConnectionHost {
  logger: Logger;
  metrics: CollectorMetrics;
  /** The live counter buffer (replaced at every flush, so always read it through the host). */
  buffer(): CounterBuffer;
  /**
   * An EVENT frame from this relay, as received, with the time it arrived. The bytes may be a
   * view into the socket's read buffer: keep nothing of them past the call.
   */
  onEventFrame(conn: FrameSource, frame: Buffer, atMs: number): boolean;
  /** True while the collector holds reading (buffer full). */
  paused(): boolean;
}

export interface ConnectionOptions {
  pingIntervalMs?: number;
  openTimeoutMs?: number;
  /** Largest frame processed; larger ones are dropped unread (the socket stays open). */
  maxFrameBytes?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** The longest redial wait in the first minutes after the relay stopped serving (see `redialCapMs`). */
  fastRedialMs?: number;
  /** Seconds of created_at a reconnect asks for behind the last time the relay was heard from. */
  resumeLookbackSeconds?: number;
  /** Oldest a resume may reach behind now (below the network-wide dedup's memory). */
  resumeMaxAgeSeconds?: number;
  /** Most ids remembered per relay to recognise re-sent copies (see `RelaySeen`). */
  seenCapacity?: number;
  /** Refuse names that resolve to private addresses (relays admitted from discovery). */
  publicOnly?: boolean;
  /** How long a subscription may go unanswered (no EOSE, no event) before the relay is `unresponsive`. */
  answerTimeoutMs?: number;
}

/** Limits a relay states in its NIP-11 document (`null`: not stated). */
export interface RelayLimits {
  /** Longest message the relay accepts (a longer REQ is logged). */
  maxMessageLength: number | null;
  /** Below 2, a resumed replay cannot be paged beside the live subscription. */
  maxSubscriptions: number | null;
}

/** A relay's resume point, handed between replicas through the shared cache. */
export interface ResumeCheckpoint {
  lastHeardSec: number;
  seen: RelaySeenState;
  /** Bad copies already charged to the relay. */
  invalid?: string[];
  /** The same from durable state (`relay_credited.charged`: 8-byte hashes; a durable resume only). */
  charged?: Buffer;
}
