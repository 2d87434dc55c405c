import { SafeFetch, type SafeResponse } from '../net/safe-fetch.js';
import { pgJson, pgText } from '../store/pg-text.js';

/** The parts of a NIP-11 relay information document the product uses. */
export interface RelayInfo {
  document: Record<string, unknown>;
  name: string | null;
  description: string | null;
  pubkey: string | null;
  contact: string | null;
  software: string | null;
  version: string | null;
  supportedNips: number[] | null;
  authRequired: boolean | null;
  paymentRequired: boolean | null;
  restrictedWrites: boolean | null;
  maxMessageLength: number | null;
  maxSubscriptions: number | null;
}

/** Raised when the information document cannot be fetched or is not a JSON object. */
export class Nip11Error extends Error {
  override readonly name = 'Nip11Error';
}

/** Largest document accepted (real ones are a few KB; a relay could send anything). */
const MAX_BYTES = 256 * 1024;

const str = (v: unknown, max = 1000): string | null => (typeof v === 'string' ? pgText(v, max) : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const int = (v: unknown): number | null =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 2 ** 31 - 1 ? v : null;

/** The http(s) URL a relay serves its NIP-11 document on. */
export function nip11Url(relayUrl: string): string {
  return relayUrl.replace(/^ws(s?):\/\//, 'http$1://');
}

/** Reads the fields of a NIP-11 document, ignoring wrong types. */
export function parseRelayInfo(document: Record<string, unknown>): RelayInfo {
  const limitation =
    typeof document.limitation === 'object' && document.limitation !== null
      ? (document.limitation as Record<string, unknown>)
      : {};
  const nips = Array.isArray(document.supported_nips)
    ? document.supported_nips
        .filter((n): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 65535)
        .slice(0, 200)
    : null;
  return {
    document: pgJson(document) as Record<string, unknown>,
    name: str(document.name, 200),
    description: str(document.description, 2000),
    pubkey: str(document.pubkey, 128),
    contact: str(document.contact, 500),
    software: str(document.software, 500),
    version: str(document.version, 100),
    supportedNips: nips,
    authRequired: bool(limitation.auth_required),
    paymentRequired: bool(limitation.payment_required),
    restrictedWrites: bool(limitation.restricted_writes),
    maxMessageLength: int(limitation.max_message_length),
    maxSubscriptions: int(limitation.max_subscriptions),
  };
}

export interface FetchRelayInfoOptions {
  timeoutMs?: number;
  /** Refuse names that resolve to private addresses, also on redirects (discovered relays). */
  publicOnly?: boolean;
}

/** Fetches a relay's NIP-11 document (`Accept: application/nostr+json`). */
export async function fetchRelayInfo(
  relayUrl: string,
  { timeoutMs = 10_000, publicOnly = false }: FetchRelayInfoOptions = {},
): Promise<RelayInfo> {
  // The one client for URLs others name: a `ws://` relay serves its document over http, and a
  // configured relay may be a private one; a discovered relay may not, nor redirect to one.
  const client = new SafeFetch({
    maxBytes: MAX_BYTES,
    timeoutMs,
    allowHttp: true,
    allowPrivate: !publicOnly,
  });
  let answer: SafeResponse;
  try {
    answer = await client.get(nip11Url(relayUrl), { accept: 'application/nostr+json' });
  } catch (err) {
    throw new Nip11Error(`fetch failed: ${(err as Error).message}`, { cause: err });
  }
  if (answer.status < 200 || answer.status >= 300) throw new Nip11Error(`HTTP ${answer.status}`);
  let document: unknown;
  try {
    document = JSON.parse(answer.body);
  } catch (err) {
    throw new Nip11Error('document is not JSON', { cause: err });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new Nip11Error('document is not a JSON object');
  }
  return parseRelayInfo(document as Record<string, unknown>);
}

/** The NIP-11 fields whose changes go into a relay's change log, in the order they are listed. */
export const TRACKED_NIP11_FIELDS = [
  'name',
  'software',
  'version',
  'supported_nips',
  'limitation',
  'fees',
] as const;
export type TrackedNip11Field = (typeof TRACKED_NIP11_FIELDS)[number];

/** One tracked field that differs between two documents: its value before and after (null: absent). */
export interface Nip11Change {
  field: TrackedNip11Field;
  from: unknown;
  to: unknown;
}

/** A JSON value with every object's keys sorted, so two equal documents compare equal as text. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

const objectOrNull = (v: unknown): unknown =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? canonical(v) : null;

/**
 * The tracked fields of a document as compared: text fields as parsed (trimmed to their stored
 * length), supported NIPs as a sorted set (a relay listing the same NIPs in another order changed
 * nothing), `limitation` and `fees` as whole objects with sorted keys.
 */
export function trackedNip11(info: RelayInfo): Record<TrackedNip11Field, unknown> {
  return {
    name: info.name,
    software: info.software,
    version: info.version,
    supported_nips: info.supportedNips ? [...new Set(info.supportedNips)].sort((a, b) => a - b) : null,
    limitation: objectOrNull(info.document.limitation),
    fees: objectOrNull(info.document.fees),
  };
}

/** The tracked fields that differ from `before` to `after`, in `TRACKED_NIP11_FIELDS` order. */
export function nip11Changes(before: RelayInfo, after: RelayInfo): Nip11Change[] {
  const a = trackedNip11(before);
  const b = trackedNip11(after);
  return TRACKED_NIP11_FIELDS.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f])).map((field) => ({
    field,
    from: a[field],
    to: b[field],
  }));
}

/** What decides whether a held relay's NIP-11 document is fetched again now. */
export interface Nip11RefreshState {
  now: number;
  /** Last fetch by any replica (stored with the document, also when it failed); null: never. */
  fetchedAt: number | null;
  /** When this replica last started a fetch for the relay (0: not since it holds it). */
  startedAt: number;
  /** Sockets the relay's connection has opened so far, and how many it had when that fetch started. */
  socketsOpened: number;
  socketsOpenedAtFetch: number;
  refreshMs: number;
  /** Reconnects closer together than this share one fetch (a flapping relay is not asked every second). */
  minGapMs: number;
}

/**
 * True when the document is due: never fetched, older than `refreshMs`, or the relay's socket
 * opened again after the last fetch (a reconnect: relays are often restarted to upgrade, and
 * a restarted relay may run other software or state other limits). The first socket of a
 * connection is no reconnect. A reconnect stays due until a fetch starts after it, so one that
 * comes within `minGapMs` of a fetch is served once the gap has passed.
 */
export function nip11RefreshDue(s: Nip11RefreshState): boolean {
  if (s.fetchedAt === null) return true;
  if (s.now - s.fetchedAt >= s.refreshMs) return true;
  const reconnected = s.socketsOpened > Math.max(1, s.socketsOpenedAtFetch);
  return reconnected && s.now - Math.max(s.fetchedAt, s.startedAt) >= s.minGapMs;
}
