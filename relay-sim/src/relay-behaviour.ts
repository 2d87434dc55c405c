/** Tunables shared by every simulated relay of a network (all optional in `SimNetworkOptions`). */
export interface RelayBehaviour {
  /** Stored history per relay (copies); the oldest are forgotten past this. */
  historySize: number;
  /** Most stored events one REQ replays before EOSE, whatever its `limit`. */
  historyLimit: number;
  /** `slow-eose`: delay before stored events and EOSE. */
  slowEoseMs: number;
  /** `closed`: a subscription lives this long before the relay closes it. */
  closedAfterMs: number;
  /** Reason sent with the unprompted CLOSED (must start with a NIP-01 prefix). */
  closedReason: string;
  /** `disconnect-loop`: a socket lives this long. */
  disconnectAfterMs: number;
  /** `oversized`: size of the oversized EVENT frames, and how often one is sent. */
  oversizedBytes: number;
  oversizedIntervalMs: number;
  /**
   * `oversized`: keep streaming on a socket after its oversized frame (default false: the socket
   * gets no events after it). When true, every `oversizedIntervalMs` while the stream runs (not
   * while paused), each socket with a live subscription gets an oversized frame followed by a
   * ping; its events are held back until the matching pong, then sent. A client that reads past
   * the frame (and answers the ping) gets every event, a client that refuses the frame drops the
   * socket before anything behind it was written: the delivered truth stays exact either way.
   */
  oversizedKeepsStreaming: boolean;
  /** `notice`: period of the NOTICE messages. */
  noticeIntervalMs: number;
  /** `garbage`: probability of a garbage frame before each normal frame. */
  garbageShare: number;
  /** NIP-11 limits, enforced: incoming frame size and open subscriptions per socket. */
  maxMessageLength: number;
  maxSubscriptions: number;
  paymentRequired: boolean;
  /** Events for a socket whose send buffer exceeds this are dropped (and not counted as delivered). */
  maxBufferedBytes: number;
  /** Apply since/until to live events too (default false: only to stored ones). */
  liveRespectsSince: boolean;
  /** `relay-list-spam`: versions of the one key's relay list, and the relay URL they name. */
  spamVersions: number;
  spamRelayUrl: string;
  /** `fresh-key-flood`: events (each from a fresh key) the relay streams, and how fast. */
  freshFloodEvents: number;
  freshFloodPerSecond: number;
}

/** Defaults of `RelayBehaviour`. */
export const DEFAULT_BEHAVIOUR: RelayBehaviour = {
  historySize: 5000,
  historyLimit: 5000,
  slowEoseMs: 3000,
  closedAfterMs: 3000,
  closedReason: 'rate-limited: subscription closed by relay, slow down',
  disconnectAfterMs: 2000,
  oversizedBytes: 1_100_000,
  oversizedIntervalMs: 1000,
  oversizedKeepsStreaming: false,
  noticeIntervalMs: 500,
  garbageShare: 0.2,
  maxMessageLength: 131_072,
  maxSubscriptions: 20,
  paymentRequired: false,
  maxBufferedBytes: 32 * 1024 * 1024,
  liveRespectsSince: false,
  spamVersions: 1000,
  spamRelayUrl: 'wss://evil.example',
  freshFloodEvents: 2000,
  freshFloodPerSecond: 1000,
};
