import { type NostrEvent, tagValue } from '../protocol/event.js';

/** Longest client name kept; longer values are cut (they are free text from anyone). */
const MAX_CLIENT_LENGTH = 64;

/**
 * The NIP-89 client of an event: the first value of its `client` tag, trimmed and lower-cased so
 * "Damus" and "damus " are one client. Undefined when absent or empty. Never from kind 0 content.
 */
export function clientOf(event: NostrEvent): string | undefined {
  const value = tagValue(event, 'client');
  if (value === undefined) return undefined;
  const name = normalizeClientName(value);
  return name === '' ? undefined : name;
}

/** Trim, lower-case, collapse inner whitespace, drop control characters, cap the length. */
export function normalizeClientName(value: string): string {
  return (
    value
      .replace(/\s+/g, ' ')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point.
      .replace(/[\u0000-\u001f\u007f]/g, '')
      .trim()
      .toLowerCase()
      .slice(0, MAX_CLIENT_LENGTH)
  );
}
