import { MonitorReports } from '../monitor/monitor-reports.js';
import { pgText } from '../store/pg-text.js';
import { LatencyHistograms } from '../store/relay-latency.js';
import { slotIn } from './buckets.js';
import type {
  ArticleRow,
  ClientRow,
  DiscoveredRow,
  HealthRow,
  HeldRelay,
  NetworkRow,
  RelayKindRow,
  RelayListRow,
  RelayLogRow,
  RelayStatusRow,
  ReplaceableRow,
  SeenRow,
} from './counter-rows.js';
import { addHealth } from './counter-rows.js';
import { DurableLedger } from './durable-ledger.js';
import { FilterCounters } from './filter-counters.js';
import { OutageLog } from './outage-log.js';
import { ZapVerdicts } from './zap-verdicts.js';

export type * from './counter-rows.js';

/** Most connection log lines kept between flushes (the oldest are dropped past it). */
const MAX_LOGS = 5000;

function mergeSeen<T extends SeenRow>(into: T, from: SeenRow): void {
  if (from.first < into.first) into.first = from.first;
  if (from.last > into.last) into.last = from.last;
  into.events += from.events;
}

/**
 * Everything counted since the last flush, as small keyed counters. Every field merges
 * additively (or by min/max/latest), so a buffer whose flush failed can be merged back into the
 * live one and retried without losing or double counting anything.
 */
export class CounterBuffer {
  readonly relayKind = new Map<string, RelayKindRow>();
  readonly network = new Map<string, NetworkRow>();
  readonly clients = new Map<string, ClientRow>();
  readonly clientUsers = new Map<string, SeenRow & { client: string; pubkey: string }>();
  readonly pubkeys = new Map<string, SeenRow & { pubkey: string }>();
  /** hour|pubkey: active in that hour (the day row is derived at flush time). */
  readonly activeHourly = new Map<string, { hour: string; pubkey: string; events: number }>();
  readonly articles = new Map<string, ArticleRow>();
  readonly replaceable = new Map<string, ReplaceableRow>();
  readonly health = new Map<string, HealthRow>();
  readonly relayStatus = new Map<number, RelayStatusRow>();
  readonly discovered = new Map<string, DiscoveredRow>();
  /** kind|pubkey: the latest relay list of each pubkey and kind (see `addRelayList`). */
  readonly relayLists = new Map<string, RelayListRow>();
  /** Zap receipts checked per NIP-57 (rejections, payment claims) and profiles' Lightning addresses. */
  readonly zapVerdicts = new ZapVerdicts();
  /** Off-filter copies, late and future events, deletions (see `FilterCounters`). */
  readonly filtered = new FilterCounters();
  /** Other NIP-66 monitors' latest relay reports (see `MonitorReports`). */
  readonly monitorReports = new MonitorReports();
  /** Ids credited, events counted and resume marks, committed with the counts (see `DurableLedger`). */
  readonly durable = new DurableLedger();
  /** Open and REQ→EOSE latencies per relay and hour, as histogram rows. */
  readonly latency = new LatencyHistograms();
  /** Confirmed relay outages and the first serve of each relay since it was taken (see `OutageLog`). */
  readonly outages = new OutageLog();
  relayLogs: RelayLogRow[] = [];
  /**
   * The relays this replica holds, when the flush reports them (see `Flusher`). A failed flush's
   * report is not put back: the next one supersedes it.
   */
  held: HeldRelay[] | undefined;
  /**
   * Followees held by the follow lists in `replaceable`: each counts as a key, so a burst of long
   * lists meets the BUFFER_MAX_KEYS bound like any other counters.
   */
  follows = 0;
  /** Network-unique events recorded since the buffer was created, for FLUSH_MAX_EVENTS. */
  events = 0;

  /** Keyed counters held (the BUFFER_MAX_KEYS bound). */
  get keys(): number {
    return (
      this.relayKind.size +
      this.network.size +
      this.clients.size +
      this.clientUsers.size +
      this.pubkeys.size +
      this.activeHourly.size +
      this.articles.size +
      this.replaceable.size +
      this.follows +
      this.health.size +
      this.relayStatus.size +
      this.discovered.size +
      this.relayLists.size +
      this.zapVerdicts.keys +
      this.filtered.keys +
      this.monitorReports.keys +
      this.relayLogs.length +
      this.durable.size +
      this.latency.size +
      this.outages.size
    );
  }

  get empty(): boolean {
    return this.keys === 0 && this.held === undefined;
  }

  /**
   * The counters of `relayId` and `kind` in the hour bucket `hour`, kept per 5-minute slot of
   * `atMs` (the receive time; the clock when not given). Hour and day rows are summed from the
   * slots at flush time. The same holds for every bucketed counter of the buffer.
   */
  relayKindRow(hour: string, relayId: number, kind: number, atMs = Date.now()): RelayKindRow {
    return this.relayKindAt(hour, slotIn(hour, atMs), relayId, kind);
  }

  private relayKindAt(hour: string, slot: string, relayId: number, kind: number): RelayKindRow {
    const key = `${slot}|${relayId}|${kind}`;
    let row = this.relayKind.get(key);
    if (!row) {
      row = { hour, slot, relayId, kind, events: 0, invalid: 0, duplicates: 0, firstCorroborated: 0 };
      this.relayKind.set(key, row);
    }
    return row;
  }

  addNetwork(hour: string, kind: number, events = 1, atMs = Date.now()): void {
    this.networkAt(hour, slotIn(hour, atMs), kind, events);
  }

  private networkAt(hour: string, slot: string, kind: number, events: number): void {
    const key = `${slot}|${kind}`;
    const row = this.network.get(key);
    if (row) row.events += events;
    else this.network.set(key, { hour, slot, kind, events });
  }

  addClient(hour: string, client: string, events = 1, atMs = Date.now()): void {
    this.clientAt(hour, slotIn(hour, atMs), client, events);
  }

  private clientAt(hour: string, slot: string, client: string, events: number): void {
    const key = `${slot}|${client}`;
    const row = this.clients.get(key);
    if (row) row.events += events;
    else this.clients.set(key, { hour, slot, client, events });
  }

  addClientUser(client: string, pubkey: string, seen: SeenRow): void {
    const key = `${client}|${pubkey}`;
    const row = this.clientUsers.get(key);
    if (row) mergeSeen(row, seen);
    else this.clientUsers.set(key, { client, pubkey, ...seen });
  }

  addPubkey(pubkey: string, seen: SeenRow): void {
    const row = this.pubkeys.get(pubkey);
    if (row) mergeSeen(row, seen);
    else this.pubkeys.set(pubkey, { pubkey, ...seen });
  }

  addActive(hour: string, pubkey: string, events = 1): void {
    const key = `${hour}|${pubkey}`;
    const row = this.activeHourly.get(key);
    if (row) row.events += events;
    else this.activeHourly.set(key, { hour, pubkey, events });
  }

  addArticle(pubkey: string, dTag: string, seen: SeenRow, createdAt: number, eventId = ''): void {
    const key = `${pubkey}|${dTag}`;
    const row = this.articles.get(key);
    if (row) {
      mergeSeen(row, seen);
      // NIP-01: the newest created_at is the latest version; on a tie the lowest id.
      if (
        createdAt > row.latestCreatedAt ||
        (createdAt === row.latestCreatedAt && eventId < row.latestEventId)
      ) {
        row.latestCreatedAt = createdAt;
        row.latestEventId = eventId;
      }
    } else {
      this.articles.set(key, { pubkey, dTag, ...seen, latestCreatedAt: createdAt, latestEventId: eventId });
    }
  }

  addReplaceable(row: ReplaceableRow): void {
    const key = `${row.kind}|${row.pubkey}`;
    const current = this.replaceable.get(key);
    // NIP-01: the newest created_at wins; on a tie the lowest id.
    if (
      !current ||
      row.createdAt > current.createdAt ||
      (row.createdAt === current.createdAt && row.eventId < current.eventId)
    ) {
      this.follows += (row.follows?.length ?? 0) - (current?.follows?.length ?? 0);
      this.replaceable.set(key, { ...row });
    }
  }

  /**
   * The health counters of `relayId` in the hour bucket `hour`, in the slot of `atMs`: health is
   * accounted at the moment of the call, so the clock places it when the caller gives no time.
   */
  healthRow(hour: string, relayId: number, atMs = Date.now()): HealthRow {
    return this.healthAt(hour, slotIn(hour, atMs), relayId);
  }

  private healthAt(hour: string, slot: string, relayId: number): HealthRow {
    const key = `${slot}|${relayId}`;
    let row = this.health.get(key);
    if (!row) {
      row = {
        hour,
        slot,
        relayId,
        connectedMs: 0,
        observedMs: 0,
        restrictedMs: 0,
        connects: 0,
        disconnects: 0,
        errors: 0,
        openLatencyMsSum: 0,
        openLatencyCount: 0,
        eoseLatencyMsSum: 0,
        eoseLatencyCount: 0,
      };
      this.health.set(key, row);
    }
    return row;
  }

  /** Merges a status report; fields given override, `disconnects` adds up. */
  reportStatus(update: RelayStatusRow): void {
    const current = this.relayStatus.get(update.relayId);
    if (!current) {
      this.relayStatus.set(update.relayId, { ...update });
      return;
    }
    const disconnects = current.disconnects + update.disconnects;
    for (const [k, v] of Object.entries(update))
      if (v !== undefined) (current as unknown as Record<string, unknown>)[k] = v;
    current.disconnects = disconnects;
  }

  addLog(row: RelayLogRow): void {
    // Relay-sent text (NOTICE, CLOSED, close reasons) may hold U+0000, which a text column refuses.
    this.relayLogs.push({
      ...row,
      class: row.class === null ? null : pgText(row.class),
      message: row.message === null ? null : pgText(row.message),
    });
    if (this.relayLogs.length > MAX_LOGS) this.relayLogs.splice(0, this.relayLogs.length - MAX_LOGS);
  }

  addDiscovered(url: string, from: string, count = 1): void {
    const row = this.discovered.get(url);
    if (row) row.count += count;
    else this.discovered.set(url, { url, from, count });
  }

  /** Keeps a pubkey's relay list of one kind if it is the newest seen (NIP-01: ties to the lowest id). */
  addRelayList(row: RelayListRow): void {
    const key = `${row.kind}|${row.pubkey}`;
    const current = this.relayLists.get(key);
    if (
      !current ||
      row.createdAt > current.createdAt ||
      (row.createdAt === current.createdAt && row.eventId < current.eventId)
    ) {
      this.relayLists.set(key, row);
    }
  }

  /** Adds everything from `older` (a buffer whose flush failed) into this one. */
  mergeFrom(older: CounterBuffer): void {
    for (const r of older.relayKind.values()) {
      const row = this.relayKindAt(r.hour, r.slot, r.relayId, r.kind);
      row.events += r.events;
      row.invalid += r.invalid;
      row.duplicates += r.duplicates;
      row.firstCorroborated += r.firstCorroborated;
    }
    for (const r of older.network.values()) this.networkAt(r.hour, r.slot, r.kind, r.events);
    for (const r of older.clients.values()) this.clientAt(r.hour, r.slot, r.client, r.events);
    for (const r of older.clientUsers.values()) this.addClientUser(r.client, r.pubkey, r);
    for (const r of older.pubkeys.values()) this.addPubkey(r.pubkey, r);
    for (const r of older.activeHourly.values()) this.addActive(r.hour, r.pubkey, r.events);
    for (const r of older.articles.values())
      this.addArticle(r.pubkey, r.dTag, r, r.latestCreatedAt, r.latestEventId);
    for (const r of older.replaceable.values()) this.addReplaceable(r);
    for (const r of older.health.values()) addHealth(this.healthAt(r.hour, r.slot, r.relayId), r);
    for (const r of older.relayStatus.values()) {
      // The live buffer's reports are newer: older fields only fill gaps.
      const current = this.relayStatus.get(r.relayId);
      if (!current) this.relayStatus.set(r.relayId, { ...r });
      else {
        for (const [k, v] of Object.entries(r)) {
          const record = current as unknown as Record<string, unknown>;
          if (v !== undefined && record[k] === undefined) record[k] = v;
        }
        current.disconnects += r.disconnects;
      }
    }
    for (const r of older.discovered.values()) this.addDiscovered(r.url, r.from, r.count);
    for (const r of older.relayLists.values()) this.addRelayList(r);
    this.durable.mergeFrom(older.durable);
    this.latency.restore(older.latency.held());
    this.zapVerdicts.mergeFrom(older.zapVerdicts);
    this.filtered.mergeFrom(older.filtered);
    this.monitorReports.mergeFrom(older.monitorReports);
    this.outages.mergeFrom(older.outages);
    this.relayLogs = [...older.relayLogs, ...this.relayLogs].slice(-MAX_LOGS);
    this.events += older.events;
  }
}
