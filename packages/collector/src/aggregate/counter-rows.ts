import type { RelayStatus } from '@nostr-info/shared/relay';

/**
 * Per relay x kind x hour: valid copies, invalid copies, copies another relay delivered first, and
 * events the relay delivered first that another relay delivered after it (`firstCorroborated`).
 */
export interface RelayKindRow {
  hour: string;
  /** The 5-minute slot within `hour` (see `slotOf`): the resolution of the 24h window's old edge. */
  slot: string;
  relayId: number;
  kind: number;
  events: number;
  invalid: number;
  duplicates: number;
  firstCorroborated: number;
}
export interface NetworkRow {
  hour: string;
  slot: string;
  kind: number;
  events: number;
}
export interface ClientRow {
  hour: string;
  slot: string;
  client: string;
  events: number;
}
/** First/last seen (ms) of a key, plus how many events. */
export interface SeenRow {
  first: number;
  last: number;
  events: number;
}
export interface ArticleRow extends SeenRow {
  pubkey: string;
  dTag: string;
  latestCreatedAt: number;
  /** Id of the latest version (newest created_at, ties to the lowest id): a NIP-09 `e` deletion names it. */
  latestEventId: string;
}
export interface ReplaceableRow {
  kind: number;
  pubkey: string;
  eventId: string;
  createdAt: number;
  /** Kind 3 only: the followees (`followsOf`), written to the follow graph with the list. */
  follows?: string[];
}
export interface HealthRow {
  hour: string;
  slot: string;
  relayId: number;
  /** Time the relay served the subscription (answered it). */
  connectedMs: number;
  observedMs: number;
  /** Time the relay was up but refused to serve (auth or payment required). */
  restrictedMs: number;
  connects: number;
  disconnects: number;
  errors: number;
  openLatencyMsSum: number;
  openLatencyCount: number;
  eoseLatencyMsSum: number;
  eoseLatencyCount: number;
}
/** Adds the additive health counters of `from` into `into` (same hour and relay). */
export function addHealth(into: HealthRow, from: HealthRow): void {
  into.connectedMs += from.connectedMs;
  into.observedMs += from.observedMs;
  into.restrictedMs += from.restrictedMs;
  into.connects += from.connects;
  into.disconnects += from.disconnects;
  into.errors += from.errors;
  into.openLatencyMsSum += from.openLatencyMsSum;
  into.openLatencyCount += from.openLatencyCount;
  into.eoseLatencyMsSum += from.eoseLatencyMsSum;
  into.eoseLatencyCount += from.eoseLatencyCount;
}
/** Latest known state of a relay (the last report wins). */
export interface RelayStatusRow {
  relayId: number;
  status?: Exclude<RelayStatus, 'unknown'>;
  statusChangedAt?: number;
  lastConnectedAt?: number;
  lastDisconnectedAt?: number;
  lastEventAt?: number;
  lastErrorClass?: string;
  lastErrorAt?: number;
  openLatencyMs?: number;
  eoseLatencyMs?: number;
  disconnects: number;
}
/** A relay this replica holds, with the status it last reported for it (none yet: undefined). */
export interface HeldRelay {
  relayId: number;
  status: RelayStatusRow['status'];
  statusChangedAt: number | undefined;
}
export interface RelayLogRow {
  relayId: number;
  at: number;
  event: string;
  class: string | null;
  message: string | null;
}
export interface DiscoveredRow {
  url: string;
  from: string;
  count: number;
}
/** A pubkey's latest relay list of one kind (10002, or 3 with a relay map) and the URLs it names. */
export interface RelayListRow {
  pubkey: string;
  kind: number;
  eventId: string;
  /** created_at in ms. */
  createdAt: number;
  urls: string[];
}
