import { currentRelayStatus } from '@nostr-info/shared/relay';
import type { RelayRow } from '@nostr-info/shared/stats';
import { percent, round } from './numbers.js';
import type { RangeData } from './range-data.js';
import type { RelayFacts } from './relay-facts.js';
import { type OutageSpan, relaySla } from './relay-sla.js';

/** A relay row plus the figures the overview and rankings need but the row does not show. */
export interface RelayFigures {
  row: RelayRow;
  watched: boolean;
  /** Observed time in range less the time the relay refused to serve: what its uptime is over. */
  observedMs: number;
}

/** Mean latency over the range from the health sums; the last measured value when none in range. */
function latency(sum: number | undefined, n: number | undefined, last: number | null): number | null {
  if (sum !== undefined && n !== undefined && n > 0) return round(sum / n, 1);
  return last;
}

/**
 * One entry per known relay (watched or not) with its range figures. Uptime is the time the relay
 * served the subscription over the time it was observed, less the time it refused to serve for
 * want of authentication or payment (hours no collector watched the relay count neither way); null
 * when no such time was observed, so a relay that only ever refused is not scored 0 %.
 * "Corroborated" counts the events another watched relay also delivered. "Last seen" is now for an
 * online relay, else its last connect or disconnect. The status is the stored one while a collector
 * reports holding the relay, else `unknown`.
 */
export function relayFigures(
  relays: readonly RelayFacts[],
  data: RangeData,
  now: Date,
  /** Off-filter copies per relay id in range (see `readFilterFigures`). */
  offFilter: ReadonlyMap<number, number> = new Map(),
  /** Confirmed outages per relay id overlapping the range (see `readRelayOutages`). */
  outages: ReadonlyMap<number, readonly OutageSpan[]> = new Map(),
): RelayFigures[] {
  const counters = new Map<
    number,
    { events: number; invalid: number; corroborated: number; byKind: Record<string, number> }
  >();
  for (const c of data.relayCounters) {
    let entry = counters.get(c.relay_id);
    if (!entry) {
      entry = { events: 0, invalid: 0, corroborated: 0, byKind: {} };
      counters.set(c.relay_id, entry);
    }
    entry.events += c.events;
    entry.invalid += c.invalid;
    entry.corroborated += c.corroborated;
    if (c.events > 0) entry.byKind[String(c.kind)] = c.events;
  }
  const health = new Map(data.relayHealth.map((h) => [h.relay_id, h]));
  const unique = data.networkEvents.reduce((a, b) => a + b.events, 0);
  return relays.map((relay) => {
    const c = counters.get(relay.id);
    const h = health.get(relay.id);
    const events = c?.events ?? 0;
    // Restricted time can run a little ahead of observed time in one hour (the wait before a
    // refusal is booked when it comes), hence the floor.
    const servable = h ? Math.max(0, h.observed_ms - h.restricted_ms) : 0;
    const uptime = servable > 0 ? percent(h?.connected_ms ?? 0, servable) : null;
    // A watched relay no collector has reported for a while is `unknown`; if it was online then,
    // it was last seen at that last report.
    const status = currentRelayStatus(relay, now);
    const lastSeen =
      status === 'online'
        ? now
        : latest(
            latest(relay.last_connected_at, relay.last_disconnected_at),
            relay.status === 'online' ? relay.held_at : null,
          );
    return {
      watched: relay.watched,
      observedMs: servable,
      row: {
        url: relay.url,
        name: relay.name,
        software: relay.software,
        version: relay.version,
        supported_nips: relay.supported_nips ?? [],
        auth_required: relay.auth_required,
        payment_required: relay.payment_required,
        status,
        uptime_pct: uptime,
        open_latency_ms: latency(h?.open_sum, h?.open_n, relay.open_latency_ms),
        eose_latency_ms: latency(h?.eose_sum, h?.eose_n, relay.eose_latency_ms),
        events,
        events_by_kind: c?.byKind ?? {},
        invalid: c?.invalid ?? 0,
        off_filter: offFilter.get(relay.id) ?? 0,
        share_pct: percent(events, unique),
        corroborated: Math.min(events, c?.corroborated ?? 0),
        last_seen: lastSeen ? lastSeen.toISOString() : null,
        last_event_at: relay.last_event_at ? relay.last_event_at.toISOString() : null,
        sla: relaySla(outages.get(relay.id) ?? [], {
          servingMs: h?.connected_ms ?? 0,
          availabilityPct: uptime,
          now,
        }),
      },
    };
  });
}

function latest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

/** Rows ordered by events (desc), then URL. */
export function byEvents(a: RelayRow, b: RelayRow): number {
  return b.events - a.events || byText(a.url, b.url);
}

/** Code-point order, the same everywhere (unlike `localeCompare`). */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
