import { hash } from 'node:crypto';
import type { NostrEvent } from '@nostr-info/shared/nostr';

export type { NostrEvent };

const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;
/**
 * Latest `created_at` accepted: 9999-12-31T23:59:59Z, the last second both a JavaScript Date and a
 * PostgreSQL timestamp can be written as. A later "time" is no time at all: the copy is malformed.
 */
export const MAX_CREATED_AT = 253_402_300_799;

/** Why a copy was refused; used as the `reason` label of the invalid-events metric. */
export type InvalidReason = 'shape' | 'id' | 'sig';

/** True when `value` has every NIP-01 field with the right type (lower-case hex, integer kind). */
export function isEventShape(value: unknown): value is NostrEvent {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  if (typeof e.id !== 'string' || !HEX64.test(e.id)) return false;
  if (typeof e.pubkey !== 'string' || !HEX64.test(e.pubkey)) return false;
  if (typeof e.sig !== 'string' || !HEX128.test(e.sig)) return false;
  if (typeof e.kind !== 'number' || !Number.isInteger(e.kind) || e.kind < 0 || e.kind > 65535) return false;
  if (
    typeof e.created_at !== 'number' ||
    !Number.isInteger(e.created_at) ||
    e.created_at < 0 ||
    e.created_at > MAX_CREATED_AT
  ) {
    return false;
  }
  if (typeof e.content !== 'string' || !Array.isArray(e.tags)) return false;
  for (const tag of e.tags) {
    if (!Array.isArray(tag)) return false;
    for (const item of tag) if (typeof item !== 'string') return false;
  }
  return true;
}

/** NIP-01 id: sha256 of `[0, pubkey, created_at, kind, tags, content]` serialised as JSON. */
export function computeEventId(event: NostrEvent): string {
  const serialized = JSON.stringify([
    0,
    event.pubkey,
    event.created_at,
    event.kind,
    event.tags,
    event.content,
  ]);
  return hash('sha256', serialized, 'hex');
}

/** First value of the first tag named `name`. */
export function tagValue(event: NostrEvent, name: string): string | undefined {
  for (const tag of event.tags) if (tag[0] === name && tag.length > 1) return tag[1];
  return undefined;
}
