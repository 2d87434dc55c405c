/** The live-feed message published on LIVE_CHANNEL every few seconds. */
export interface LiveMessage {
  at: string;
  events_per_second_by_kind: Record<string, number>;
  relays_connected: number;
  relays_owned: number;
  replica: number;
}

/** Builds a live message from unique-event counts collected over `seconds`. */
export function liveMessage(
  countsByKind: ReadonlyMap<number, number>,
  seconds: number,
  relaysConnected: number,
  relaysOwned: number,
  replica: number,
  now = new Date(),
): LiveMessage {
  const rates: Record<string, number> = {};
  for (const [kind, count] of countsByKind) rates[String(kind)] = Math.round((count / seconds) * 100) / 100;
  return {
    at: now.toISOString(),
    events_per_second_by_kind: rates,
    relays_connected: relaysConnected,
    relays_owned: relaysOwned,
    replica,
  };
}
