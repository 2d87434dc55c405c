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
  | 'stall-open';

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
];

/** What a relay does to one copy of an event: pass it on intact, break the signature or the id. */
export type CopyState = 'valid' | 'bad-sig' | 'bad-id';
