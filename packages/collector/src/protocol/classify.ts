/** Standard machine-readable prefixes of NIP-01 OK/CLOSED messages (and NIP-42's auth-required). */
export const REASON_CLASSES = [
  'auth-required',
  'rate-limited',
  'restricted',
  'blocked',
  'invalid',
  'pow',
  'duplicate',
  'mute',
  'unsupported',
  'error',
] as const;

export type ReasonClass = (typeof REASON_CLASSES)[number] | 'other' | 'none';

/**
 * The class of a NOTICE/CLOSED reason: its standard `prefix:` if it has one, `none` when empty,
 * else `other`. Bounded so it can be a metric label.
 */
export function classifyReason(message: string): ReasonClass {
  const trimmed = message.trim();
  if (trimmed === '') return 'none';
  const colon = trimmed.indexOf(':');
  if (colon > 0) {
    const prefix = trimmed.slice(0, colon).trim().toLowerCase();
    if ((REASON_CLASSES as readonly string[]).includes(prefix)) return prefix as ReasonClass;
  }
  // Some relays say "auth required" or "restricted" without the colon.
  const lower = trimmed.toLowerCase();
  if (/^auth(entication)?[- ]required/.test(lower)) return 'auth-required';
  if (/^rate[- ]limit/.test(lower)) return 'rate-limited';
  return 'other';
}
