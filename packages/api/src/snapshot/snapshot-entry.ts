import { normalizeRelayUrl } from '@nostr-info/shared/relay';
import type { FullSnapshot, RelayRow, SectionName, StatsRange } from '@nostr-info/shared/stats';
import { type EncodedBody, encodeBody } from './encode.js';

/** What a stats endpoint serves: one section of the snapshot, or all of it. */
export type BodyKey = SectionName | 'full';

export const BODY_KEYS: readonly BodyKey[] = [
  'full',
  'overview',
  'relays',
  'events',
  'clients',
  'top_relays',
  'activity',
  'census',
  'follow_graph',
];

/** One range's snapshot as held in process memory, every body compressed once. */
export interface SnapshotEntry {
  range: StatsRange;
  computedAt: string;
  computedAtMs: number;
  /** `computed_at` as an HTTP date, formatted once. */
  lastModified: string;
  /** The JSON text as read, to notice an unchanged snapshot without re-encoding. */
  json: string;
  snapshot: FullSnapshot;
  bodies: Map<BodyKey, EncodedBody>;
  /** When this copy was last confirmed against the cache or database. */
  checkedAtMs: number;
  relayRow(url: string): RelayRow | undefined;
}

/** Builds an entry: encodes the full body and each section (gzip and brotli, once). */
export async function buildEntry(
  range: StatsRange,
  json: string,
  snapshot: FullSnapshot,
): Promise<SnapshotEntry> {
  const sources: Record<BodyKey, unknown> = {
    full: undefined,
    overview: snapshot.overview,
    relays: snapshot.relays,
    events: snapshot.events,
    clients: snapshot.clients,
    top_relays: snapshot.top_relays,
    activity: snapshot.activity,
    census: snapshot.census,
    follow_graph: snapshot.follow_graph,
  };
  // A section added after the snapshot was computed (one written by the previous release) has no
  // body until the next scheduler run; its endpoint answers 503 meanwhile.
  const present = BODY_KEYS.filter((key) => key === 'full' || sources[key] !== undefined);
  const encoded = await Promise.all(
    present.map(
      async (key) => [key, await encodeBody(key === 'full' ? json : JSON.stringify(sources[key]))] as const,
    ),
  );
  let relayIndex: Map<string, RelayRow> | undefined;
  return {
    range,
    computedAt: snapshot.computed_at,
    computedAtMs: Date.parse(snapshot.computed_at),
    lastModified: new Date(snapshot.computed_at).toUTCString(),
    json,
    snapshot,
    bodies: new Map(encoded),
    checkedAtMs: Date.now(),
    relayRow(url) {
      if (!relayIndex) {
        relayIndex = new Map();
        for (const row of snapshot.relays.relays) {
          try {
            relayIndex.set(normalizeRelayUrl(row.url), row);
          } catch {
            relayIndex.set(row.url, row);
          }
        }
      }
      return relayIndex.get(url);
    },
  };
}
