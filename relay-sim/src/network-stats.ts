/** Live figures of a running network. */
export interface SimNetworkStats {
  uniqueEmitted: number;
  copiesEmitted: number;
  connections: number;
  liveSubscriptions: number;
  eventFrames: number;
  bufferedBytes: number;
}

/** The figures one relay contributes to `SimNetworkStats`. */
export interface RelayStatsSource {
  readonly counters: { readonly eventFrames: number };
  connections(): number;
  liveSubscriptions(): number;
  bufferedBytes(): number;
}

/** The network's figures: the stream's own, and the relays' summed. */
export function networkStats(
  stream: { readonly uniqueEmitted: number; readonly copiesEmitted: number },
  relays: readonly RelayStatsSource[],
): SimNetworkStats {
  return {
    uniqueEmitted: stream.uniqueEmitted,
    copiesEmitted: stream.copiesEmitted,
    connections: relays.reduce((s, r) => s + r.connections(), 0),
    liveSubscriptions: relays.reduce((s, r) => s + r.liveSubscriptions(), 0),
    eventFrames: relays.reduce((s, r) => s + r.counters.eventFrames, 0),
    bufferedBytes: relays.reduce((s, r) => s + r.bufferedBytes(), 0),
  };
}
