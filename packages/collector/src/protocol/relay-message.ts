import { hash } from 'node:crypto';

/** A message a relay sends (NIP-01, NIP-42); `unknown` keeps unexpected types harmless. */
export type RelayMessage =
  | { type: 'EVENT'; subscriptionId: string; event: unknown }
  | { type: 'EOSE'; subscriptionId: string }
  | { type: 'NOTICE'; message: string }
  | { type: 'CLOSED'; subscriptionId: string; message: string }
  | { type: 'OK'; eventId: string; accepted: boolean; message: string }
  | { type: 'AUTH'; challenge: string }
  | { type: 'unknown'; label: string };

/** Raised for a frame that is not a JSON array starting with a string. */
export class RelayMessageError extends Error {
  override readonly name = 'RelayMessageError';
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Parses one text frame. Throws `RelayMessageError` for frames that are not NIP-01 messages. */
export function parseRelayMessage(raw: string): RelayMessage {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (err) {
    throw new RelayMessageError('frame is not JSON', { cause: err });
  }
  if (!Array.isArray(data) || typeof data[0] !== 'string') {
    throw new RelayMessageError('frame is not an array starting with a message type');
  }
  const [type, a, b, c] = data as [string, unknown, unknown, unknown];
  switch (type) {
    case 'EVENT':
      return { type, subscriptionId: text(a), event: b };
    case 'EOSE':
      return { type, subscriptionId: text(a) };
    case 'NOTICE':
      return { type, message: text(a) };
    case 'CLOSED':
      return { type, subscriptionId: text(a), message: text(b) };
    case 'OK':
      return { type, eventId: text(a), accepted: b === true, message: text(c) };
    case 'AUTH':
      return { type, challenge: text(a) };
    default:
      return { type: 'unknown', label: type.slice(0, 32) };
  }
}

// `["EVENT","sub",{..."id":"<64 hex>"...}]`: relays serialise the id early, so a short scan
// finds it without decoding or parsing the (possibly large) content.
const EVENT_PREFIX = Buffer.from('["EVENT"');
const ID_KEY = Buffer.from('"id":"');
const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;

/** True when the frame's bytes start with `["EVENT"` (the fast path; spaced variants parse). */
export function isEventFrame(frame: Buffer): boolean {
  // Byte by byte: a native compare costs more than these eight reads.
  if (frame.length <= EVENT_PREFIX.length) return false;
  for (let i = 0; i < EVENT_PREFIX.length; i++) if (frame[i] !== EVENT_PREFIX[i]) return false;
  return true;
}

/**
 * The event id of an EVENT frame, read from its bytes without decoding or parsing (undefined
 * when it cannot be found cheaply or the frame is not an EVENT). Only used to skip copies already
 * counted: a wrong answer can only make a copy go through the full checks. Not checked as hex:
 * the id is only looked up among ids already checked, and anything else matches none of them.
 */
export function peekEventId(frame: Buffer): string | undefined {
  if (!isEventFrame(frame)) return undefined;
  let from = 0;
  for (;;) {
    const at = frame.indexOf(ID_KEY, from);
    if (at < 0) return undefined;
    // Only accept the key at the event object's top level: after `{` or `,` (optionally spaced).
    // Inside a JSON string the quotes would be escaped, so the key bytes cannot appear there.
    let p = at - 1;
    while (p > 0 && (frame[p] === 0x20 || frame[p] === 0x0a)) p--;
    const before = frame[p];
    const start = at + ID_KEY.length;
    if ((before === OPEN_BRACE || before === COMMA) && frame[start + 64] === QUOTE) {
      return frame.toString('latin1', start, start + 64);
    }
    from = at + 1;
  }
}

/**
 * sha256 of the event object's raw JSON in an EVENT frame (from the first `{` to the last `}`),
 * whatever the subscription id. Two copies with the same digest are byte-identical events.
 */
export function eventDigest(frame: Buffer): Buffer | undefined {
  const start = frame.indexOf(OPEN_BRACE);
  const end = frame.lastIndexOf(CLOSE_BRACE);
  if (start < 0 || end <= start) return undefined;
  return hash('sha256', frame.subarray(start, end + 1), 'buffer');
}

const CREATED_AT_KEY = Buffer.from('"created_at":');

/**
 * The event's `created_at` read from an EVENT frame's bytes (undefined when not found cheaply).
 * An event has no nested objects and quotes inside strings are escaped, so the first
 * `"created_at":` is the event's own key.
 */
export function peekCreatedAt(frame: Buffer): number | undefined {
  const at = frame.indexOf(CREATED_AT_KEY);
  if (at < 0) return undefined;
  let p = at + CREATED_AT_KEY.length;
  while (frame[p] === 0x20) p++;
  let value = 0;
  let digits = 0;
  for (let c = frame[p]; c !== undefined && c >= 0x30 && c <= 0x39; c = frame[++p]) {
    value = value * 10 + (c - 0x30);
    if (++digits > 15) return undefined;
  }
  return digits > 0 ? value : undefined;
}

/**
 * True when an EVENT frame belongs to the subscription whose JSON-quoted id is `quoted`
 * (`["EVENT","<id>",…`, with any spaces around the comma).
 */
export function frameInSubscription(frame: Buffer, quoted: Buffer): boolean {
  let p = EVENT_PREFIX.length;
  while (frame[p] === 0x20) p++;
  if (frame[p] !== COMMA) return false;
  p++;
  while (frame[p] === 0x20) p++;
  if (frame.length < p + quoted.length) return false;
  for (let i = 0; i < quoted.length; i++) if (frame[p + i] !== quoted[i]) return false;
  return true;
}
