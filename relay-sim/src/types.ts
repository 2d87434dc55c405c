/** An unsigned event template. */
export interface EventTemplate {
  kind: number;
  created_at: number;
  tags: string[][];
  content: string;
}

/** A NIP-01 REQ filter (the fields the simulated relays understand). */
export interface Filter {
  ids?: string[];
  authors?: string[];
  kinds?: number[];
  since?: number;
  until?: number;
  limit?: number;
  [tag: `#${string}`]: string[] | undefined;
}

/**
 * How one simulated relay behaves.
 * - `normal`: a well-behaved relay.
 * - `garbage`: interleaves non-JSON frames and wrong-shaped arrays with its normal traffic.
 * - `oversized`: `oversizedIntervalMs` after a subscription goes live, sends one EVENT frame larger
 *   than `oversizedBytes` on that socket and no events after it (see `Conn.poisoned`); with
 *   `oversizedKeepsStreaming`, one such frame every `oversizedIntervalMs` while streaming, and
 *   normal events go on behind each once the client answered a ping (see `Conn.held`).
 * - `flood`: pushes every corpus event to every subscription as fast as the socket drains.
 * - `stall`: accepts sockets, then never answers anything again (no EOSE, events or pongs).
 * - `stall-open`: accepts the TCP connection but never answers the WebSocket handshake.
 * - `disconnect-loop`: closes every socket `disconnectAfterMs` after it opened.
 * - `auth-required`: sends a NIP-42 challenge and answers REQ with `CLOSED "auth-required: …"` until
 *   the client authenticates.
 * - `closed`: closes each subscription unprompted (`CLOSED`) `closedAfterMs` after it was opened.
 * - `slow-eose`: holds stored events and EOSE back for `slowEoseMs`.
 * - `no-nip11`: answers the NIP-11 request with 404.
 * - `bad-nip11`: answers the NIP-11 request with broken JSON.
 * - `notice`: normal traffic plus a `NOTICE` every `noticeIntervalMs`, cycling through the standard
 *   prefixes (`rate-limited:`, `error:`, `restricted:`, `blocked:`, `invalid:`, `auth-required:`)
 *   and one without a prefix.
 * - `silent-after-open`: accepts sockets and answers pings, but never answers a REQ (no EOSE, no
 *   events, no CLOSED) nor anything else a client sends.
 * - `payment-required`: answers every REQ with `CLOSED "restricted: … paid …"` and every EVENT with
 *   `OK false`; its NIP-11 document says `payment_required: true`.
 * - `relay-list-spam`: normal, plus, once a subscription is live, `spamVersions` versions of one
 *   key's relay list (kind 10002) naming `spamRelayUrl`, on this relay only.
 * - `fresh-key-flood`: while the stream runs, `freshFloodEvents` valid kind-1 events each from a
 *   key of its own, `freshFloodPerSecond` a second, on this relay only; it takes none of the
 *   network's stream, so no event it sends is carried by another relay.
 * - `off-filter`: normal, plus, each time a subscription goes live, events it was not asked for:
 *   kinds 4, 1059 and 20001 under that subscription, events of collected kinds created 30 days
 *   before now (below any `since`), and events under a subscription id it was never given. Each is
 *   counted once per id in its `offFilter` truth (see `filter-modes.ts`), never as a delivery.
 * - `rebroadcast`: an honest relay (it applies `since`/`until` to live events too) that, once a
 *   subscription is live, takes in a profile, a note and an article created three days ago, as a
 *   client re-broadcasting them would, and serves them to the subscriptions that asked that far back.
 * - `future`: normal, plus, once a subscription is live, a profile, a note and an article dated a
 *   day ahead.
 */
export type RelayMode =
  | 'normal'
  | 'garbage'
  | 'oversized'
  | 'flood'
  | 'stall'
  | 'disconnect-loop'
  | 'auth-required'
  | 'closed'
  | 'slow-eose'
  | 'no-nip11'
  | 'bad-nip11'
  | 'notice'
  | 'stall-open'
  | 'silent-after-open'
  | 'payment-required'
  | 'relay-list-spam'
  | 'fresh-key-flood'
  | 'off-filter'
  | 'rebroadcast'
  | 'future';

/** Every relay mode, for iteration in tests and the CLI. */
export const RELAY_MODES: readonly RelayMode[] = [
  'normal',
  'garbage',
  'oversized',
  'flood',
  'stall',
  'disconnect-loop',
  'auth-required',
  'closed',
  'slow-eose',
  'no-nip11',
  'bad-nip11',
  'notice',
  'stall-open',
  'silent-after-open',
  'payment-required',
  'relay-list-spam',
  'fresh-key-flood',
  'off-filter',
  'rebroadcast',
  'future',
];

/**
 * What a relay did with the last REQ it received: `eose` (answered), `auth-required` or
 * `payment-required` (refused with CLOSED for that reason), `closed` (refused for another reason),
 * `none` (no answer at all).
 */
export type ReqAnswer = 'eose' | 'auth-required' | 'payment-required' | 'closed' | 'none';

/** What a relay does to one copy of an event: pass it on intact, break the signature or the id. */
export type CopyState = 'valid' | 'bad-sig' | 'bad-id';
