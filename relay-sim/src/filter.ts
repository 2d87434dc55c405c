import type { NostrEvent } from '@nostr-info/shared/nostr';
import type { Filter } from './types.js';

/** Parses a REQ filter object, or undefined when it is not one. */
export function asFilter(value: unknown): Filter | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return value as Filter;
}

/**
 * NIP-01 filter match. `withTime` false skips since/until: live events are pushed to any open
 * subscription whose other conditions match (see README, "live events and since").
 */
export function matchFilter(f: Filter, ev: NostrEvent, withTime = true): boolean {
  if (f.ids && !f.ids.includes(ev.id)) return false;
  if (f.kinds && !f.kinds.includes(ev.kind)) return false;
  if (f.authors && !f.authors.includes(ev.pubkey)) return false;
  if (withTime) {
    if (typeof f.since === 'number' && ev.created_at < f.since) return false;
    if (typeof f.until === 'number' && ev.created_at > f.until) return false;
  }
  for (const key of Object.keys(f)) {
    if (key.length !== 2 || key[0] !== '#') continue;
    const values = f[key as `#${string}`];
    if (!Array.isArray(values)) continue;
    const name = key[1];
    if (!ev.tags.some((t) => t[0] === name && t[1] !== undefined && values.includes(t[1]))) return false;
  }
  return true;
}

/** True when any filter of a subscription matches. */
export function matchAny(filters: readonly Filter[], ev: NostrEvent, withTime = true): boolean {
  for (const f of filters) if (matchFilter(f, ev, withTime)) return true;
  return false;
}
