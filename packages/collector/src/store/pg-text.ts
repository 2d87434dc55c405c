import { createHash } from 'node:crypto';

/**
 * PostgreSQL `text` cannot hold U+0000 (nor can `jsonb` hold `\u0000`): a value carrying one makes
 * the whole statement fail. Text from relays and events is anyone's, so it is stripped before it
 * is buffered — one such value must never fail a flush, which is retried with the same rows.
 */
export function pgText(value: string, max = Number.POSITIVE_INFINITY): string {
  const text = value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
  return text.length > max ? text.slice(0, max) : text;
}

/** `pgText` for every string (and key) inside a JSON value. */
export function pgJson(value: unknown): unknown {
  if (typeof value === 'string') return pgText(value);
  if (Array.isArray(value)) return value.map(pgJson);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [pgText(k), pgJson(v)]));
  }
  return value;
}

/**
 * Longest article `d` tag (UTF-8 bytes) stored as it is: a btree index entry (pubkey and tag) is
 * limited to ~2.7 KB, so anything longer could never have been stored and maps to a digest.
 */
const MAX_D_TAG_BYTES = 2400;

/**
 * The stored key of an article's `d` tag (articles are distinct per pubkey and d tag). A tag too
 * long for an index entry, or holding U+0000, is stored as a digest of its exact value, so
 * distinct tags stay distinct and the same tag always maps to the same key.
 */
export function articleKey(dTag: string): string {
  if (Buffer.byteLength(dTag) <= MAX_D_TAG_BYTES && !dTag.includes('\u0000')) return dTag;
  return `${pgText(dTag, 64)}…sha256:${createHash('sha256').update(dTag).digest('hex')}`;
}
