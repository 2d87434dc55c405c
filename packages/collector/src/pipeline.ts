import { type HotCell, hotCell } from '@nostr-info/shared/metrics';
import { timingOf } from '@nostr-info/shared/nostr';
import type { Aggregator } from './aggregate/aggregator.js';
import { hourOf } from './aggregate/buckets.js';
import { Corroboration } from './dedup/corroboration.js';
import type { NetworkDedup } from './dedup/dedup.js';
import type { ValidIds } from './dedup/valid-ids.js';
import { recordRelayList } from './extract/relay-hints.js';
import { readMonitorReport } from './monitor/read-report.js';
import { RELAY_REPORT_KIND } from './monitor/report-tags.js';
import { COLLECTED_KINDS, type CollectorMetrics, kindLabel } from './observe/metrics.js';
import { computeEventId, isEventShape, type NostrEvent } from './protocol/event.js';
import { eventDigest, peekEventId } from './protocol/relay-message.js';
import { type OffFilterReason, offFilterReason } from './protocol/subscription-filter.js';
import type { FrameSource } from './relay/connection-types.js';
import type { VerifyPool } from './verify/verify-pool.js';

const EMPTY = Buffer.alloc(0);

/** Slot of each collected kind in a relay's received cells (anything else: the last slot). */
const KIND_SLOTS = new Map<number, number>(COLLECTED_KINDS.map((k, i) => [k, i]));

/** What the pipeline checks events with and where it counts them. */
export interface PipelineOptions {
  aggregator: Aggregator;
  validIds: ValidIds;
  dedup: NetworkDedup;
  verifier: VerifyPool;
  metrics: CollectorMetrics;
  /** Collect relay URLs from relay lists and contact lists (DISCOVERY_ENABLED). */
  discovery: boolean;
  /** This collector's NIP-66 monitor pubkey: its own kind 30166 reports are not kept as another's. */
  monitorPubkey?: string | undefined;
  /** Called whenever a pending copy gets its answer (the back-pressure gate re-checks). */
  onSettled?: () => void;
}

/** A signature check under way, with the copy that started it. */
interface Verifying {
  sig: string;
  result: Promise<boolean>;
  event: NostrEvent;
  /** Digest of that copy's event bytes (identical copies join it unparsed). */
  digest: Buffer | undefined;
}

/**
 * The path of every EVENT frame, cheapest checks first:
 * 1. same id already credited to this relay (peeked from the raw frame, no parse) → drop;
 * 2. parse, shape check, id = sha256(serialisation) → else invalid for this relay;
 * 3. same id and signature already verified on this replica → valid without verifying again;
 *    otherwise verify on a worker (concurrent identical copies share one verification);
 * 4. credit the relay; the first valid copy on this replica asks the network dedup whether it is
 *    the first anywhere, and only then counts network-wide.
 */
export class EventPipeline {
  /**
   * Verifications under way, by id. Byte-identical copies arriving meanwhile join the first one
   * by digest: they are neither parsed nor held, only their relay and arrival time wait.
   */
  private readonly verifying = new Map<string, Verifying>();
  /** Events whose verification or dedup answer is still pending (for back-pressure). */
  inFlight = 0;
  /** Network-unique events counted since the last rate sample, by kind. */
  private uniqueByKind = new Map<number, number>();
  /** EVENT frames handled since start (for the benchmark). */
  framesHandled = 0;
  /** Network-unique events this replica counted since start (late and future ones included). */
  uniqueCounted = 0;
  /** Valid events whose dedup claim was never answered (the cache was away when the replica stopped). */
  unresolved = 0;

  /** Hot-path counts (see `hotCell`): duplicates by layer, and valid copies by relay and kind. */
  private readonly dupLocal: HotCell;
  private readonly dupRedis: HotCell;
  private readonly received = new WeakMap<FrameSource, HotCell[]>();

  private readonly aggregator: Aggregator;
  private readonly validIds: ValidIds;
  private readonly dedup: NetworkDedup;
  private readonly verifier: VerifyPool;
  private readonly metrics: CollectorMetrics;
  private readonly discovery: boolean;
  private readonly monitorPubkey: string | undefined;
  private readonly onSettled: (() => void) | undefined;
  /** Credits the first relay of an event once a second relay delivers it. */
  private readonly corroboration: Corroboration;

  constructor({
    aggregator,
    validIds,
    dedup,
    verifier,
    metrics,
    discovery,
    monitorPubkey,
    onSettled,
  }: PipelineOptions) {
    this.aggregator = aggregator;
    this.validIds = validIds;
    this.dedup = dedup;
    this.verifier = verifier;
    this.metrics = metrics;
    this.discovery = discovery;
    this.monitorPubkey = monitorPubkey;
    this.onSettled = onSettled;
    this.corroboration = new Corroboration({
      validIds,
      dedup,
      credit: (relayId, kind, atMs) => aggregator.recordFirstCorroborated(relayId, kind, atMs),
      pending: (delta) => {
        this.inFlight += delta;
        if (delta < 0) this.onSettled?.();
      },
    });
    this.dupLocal = hotCell(metrics.duplicatesDropped, { layer: 'local' });
    this.dupRedis = hotCell(metrics.duplicatesDropped, { layer: 'redis' });
  }

  /** The network-unique events by kind since the last call (the live feed's rate sample). */
  takeUniqueByKind(): Map<number, number> {
    const taken = this.uniqueByKind;
    this.uniqueByKind = new Map();
    return taken;
  }

  private receivedCell(conn: FrameSource, kind: number): HotCell {
    let cells = this.received.get(conn);
    if (!cells) {
      cells = [];
      this.received.set(conn, cells);
    }
    const slot = KIND_SLOTS.get(kind) ?? COLLECTED_KINDS.length;
    let cell = cells[slot];
    if (!cell) {
      cell = hotCell(this.metrics.eventsReceived, { relay: conn.url, kind: kindLabel(kind) });
      cells[slot] = cell;
    }
    return cell;
  }

  /**
   * One EVENT frame as received (bytes: copies already known are never decoded). False when the
   * copy came outside every subscription this connection has open: it is no answer from the relay.
   */
  handle(conn: FrameSource, frame: Buffer, atMs: number): boolean {
    this.framesHandled += 1;
    const m = this.metrics;
    const peeked = peekEventId(frame);
    if (peeked !== undefined) {
      if (conn.seen.has(peeked)) {
        this.dupLocal.n += 1;
        return true;
      }
      // Only what was asked for: the subscription the frame came under, read from its bytes.
      const sub = conn.subscriptions.match(frame, atMs);
      if (sub === undefined) {
        return this.offFilter(conn, peeked, 'subscription', atMs);
      }
      const ids = this.validIds;
      const known = ids.find(peeked);
      if (known >= 0) {
        if (ids.credited(known, conn.relayId)) {
          this.dupLocal.n += 1;
          return true;
        }
        // Byte-identical to the copy already verified: valid, without parsing it.
        if (ids.digestEquals(known, eventDigest(frame))) {
          const kind = ids.kind(known);
          const off = offFilterReason(sub, kind, ids.createdAt(known));
          if (off !== undefined) {
            return this.offFilter(conn, peeked, off, atMs);
          }
          this.credit(conn, peeked, kind, ids.createdAt(known), atMs);
          ids.credit(known, conn.relayId);
          this.dupLocal.n += 1;
          this.recordCopy(conn, peeked, kind, ids.createdAt(known), atMs, true);
          this.corroboration.again(known, peeked, kind, atMs);
          return true;
        }
      } else {
        const waiting = this.verifying.get(peeked);
        if (waiting?.digest?.equals(eventDigest(frame) ?? EMPTY)) {
          const off = offFilterReason(sub, waiting.event.kind, waiting.event.created_at);
          if (off !== undefined) {
            return this.offFilter(conn, peeked, off, atMs);
          }
          this.await(conn, waiting.event, waiting, waiting.digest, atMs);
          return true;
        }
      }
    }
    let message: unknown[] | null;
    try {
      message = JSON.parse(frame.toString()) as unknown[] | null;
    } catch {
      m.eventsInvalid.inc({ relay: conn.url, reason: 'frame' });
      return true;
    }
    const event = message?.[2];
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      // No event object at all: a broken frame, not an invalid event of this relay.
      m.eventsInvalid.inc({ relay: conn.url, reason: 'frame' });
      return true;
    }
    if (!isEventShape(event)) {
      const e = event as { kind?: unknown; id?: unknown } | undefined;
      const kind = Number.isInteger(e?.kind) ? (e?.kind as number) : -1;
      const key =
        typeof e?.id === 'string' ? e.id.slice(0, 64) : (eventDigest(frame)?.toString('base64') ?? 'none');
      this.invalid(conn, key, kind, atMs, 'shape');
      return true;
    }
    if (conn.seen.has(event.id)) {
      this.dupLocal.n += 1;
      return true;
    }
    // Outside the subscription that brought it: no id or signature check, never an event.
    const sub = conn.subscriptions.matchId(message?.[1], atMs);
    const off = sub === undefined ? 'subscription' : offFilterReason(sub, event.kind, event.created_at);
    if (off !== undefined) {
      return this.offFilter(conn, event.id, off, atMs);
    }
    if (computeEventId(event) !== event.id) {
      this.invalid(conn, event.id, event.kind, atMs, 'id');
      return true;
    }
    const known = this.validIds.find(event.id);
    if (known >= 0 && this.validIds.sigEquals(known, event.sig)) {
      this.accept(conn, event, atMs, false);
      return true;
    }
    // Taken now so the waiting copy does not keep its raw frame alive.
    const digest = eventDigest(frame);
    let pending = this.verifying.get(event.id);
    if (!pending || pending.sig !== event.sig) {
      const result = this.verifier.verify(event);
      pending = { sig: event.sig, result, event, digest };
      this.verifying.set(event.id, pending);
      const entry = pending;
      void result.then(() => {
        if (this.verifying.get(event.id) === entry) this.verifying.delete(event.id);
      });
    }
    this.await(conn, event, pending, digest, atMs);
    return true;
  }

  /** Waits for the signature check of a copy from `conn`, then credits or charges the relay. */
  private await(
    conn: FrameSource,
    event: NostrEvent,
    pending: Verifying,
    digest: Buffer | undefined,
    atMs: number,
  ): void {
    this.inFlight += 1;
    conn.verifyStarted();
    void pending.result.then((ok) => {
      this.inFlight -= 1;
      conn.verifySettled();
      this.onSettled?.();
      if (!ok) {
        this.invalid(conn, `${event.id}:${event.sig}`, event.kind, atMs, 'sig');
        return;
      }
      const firstHere = this.validIds.add(event.id, event.sig, event.kind, event.created_at, digest);
      this.accept(conn, event, atMs, firstHere);
    });
  }

  private invalid(
    conn: FrameSource,
    key: string,
    kind: number,
    atMs: number,
    reason: 'shape' | 'id' | 'sig',
  ): void {
    this.metrics.eventsInvalid.inc({ relay: conn.url, reason });
    // A relay re-sending the same bad copy (replay after a reconnect) is counted once.
    if (!conn.invalidSeen.first(key, this.charged(conn))) return;
    this.aggregator.recordInvalid(conn.relayId, kind, atMs);
  }

  /** Records a bad copy charged to `conn` in the durable ledger, so a resume never charges it again. */
  private charged(conn: FrameSource): (hi: number, lo: number) => void {
    return (hi, lo) => this.aggregator.buffer.durable.charge(conn.relayId, hi, lo);
  }

  /** A copy outside its subscription: charged to the relay once per id, never counted as an event. */
  private offFilter(conn: FrameSource, id: string, reason: OffFilterReason, atMs: number): false {
    if (conn.invalidSeen.first(`off:${id}`, this.charged(conn))) {
      this.metrics.eventsOffFilter.inc({ relay: conn.url, reason });
      this.aggregator.buffer.filtered.addOffFilter(hourOf(atMs), conn.relayId, reason);
    }
    return false;
  }

  /**
   * An event first counted with a created_at too old (`late`) or too far ahead (`future`) to be
   * activity of the hour it arrived: claimed, credited to its relay, counted apart. True then.
   */
  private untimely(event: NostrEvent, atMs: number): boolean {
    const timing = timingOf(event.created_at, atMs);
    if (timing === 'current') return false;
    this.aggregator.recordUntimely(event, atMs, timing);
    this.metrics.eventsUntimely.inc({ timing });
    this.uniqueCounted += 1;
    return true;
  }

  /** Marks a valid copy as delivered by `conn` (per-relay seen set, metric, last event time). */
  private credit(conn: FrameSource, id: string, kind: number, createdAt: number, atMs: number): void {
    conn.seen.add(id, createdAt);
    this.receivedCell(conn, kind).n += 1;
    const buffer = this.aggregator.buffer;
    const status = buffer.relayStatus.get(conn.relayId);
    if (status) status.lastEventAt = atMs;
    else buffer.reportStatus({ relayId: conn.relayId, disconnects: 0, lastEventAt: atMs });
  }

  /**
   * Credits `conn` with a valid copy: its per-relay counters, and the id in the durable ledger of
   * the same buffer, so a restart finds the id credited exactly when its count was committed.
   */
  private recordCopy(
    conn: FrameSource,
    id: string,
    kind: number,
    createdAt: number,
    atMs: number,
    duplicate: boolean,
  ): void {
    this.aggregator.recordCopy(conn.relayId, kind, atMs, duplicate);
    this.aggregator.buffer.durable.credit(conn.relayId, id, createdAt);
  }

  private accept(conn: FrameSource, event: NostrEvent, atMs: number, firstHere: boolean): void {
    // Re-check: the same relay may have sent the copy twice while the first was verifying.
    const ids = this.validIds;
    const entry = ids.find(event.id);
    if (conn.seen.has(event.id) || (entry >= 0 && ids.credited(entry, conn.relayId))) {
      this.dupLocal.n += 1;
      return;
    }
    if (entry >= 0) ids.credit(entry, conn.relayId);
    this.credit(conn, event.id, event.kind, event.created_at, atMs);
    if (!firstHere) {
      this.dupLocal.n += 1;
      this.recordCopy(conn, event.id, event.kind, event.created_at, atMs, true);
      this.corroboration.again(entry, event.id, event.kind, atMs);
      return;
    }
    this.inFlight += 1;
    void this.dedup.claim(event.id, conn.relayId).then((first) => {
      this.inFlight -= 1;
      this.onSettled?.();
      this.recordCopy(conn, event.id, event.kind, event.created_at, atMs, first !== true);
      if (first === undefined) {
        // The cache never answered before the replica stopped: the relay's copy is counted, but
        // whether the event is new network-wide is unknown, so it is reported, not guessed.
        this.metrics.eventsUnresolved.inc();
        this.unresolved += 1;
        return;
      }
      if (!first) {
        this.dupRedis.n += 1;
        this.corroboration.lost(event.id, conn.relayId, event.kind, atMs);
        return;
      }
      this.corroboration.won(event.id, event.kind, atMs);
      // Committed as counted with the flush that carries its counts (a repeat is taken out there).
      this.aggregator.buffer.durable.count(event, atMs, conn.relayId);
      if (this.untimely(event, atMs)) return;
      this.aggregator.recordUnique(event, atMs);
      this.uniqueCounted += 1;
      this.metrics.eventsUnique.inc({ kind: kindLabel(event.kind) });
      this.uniqueByKind.set(event.kind, (this.uniqueByKind.get(event.kind) ?? 0) + 1);
      if (this.discovery && (event.kind === 10002 || event.kind === 3)) {
        recordRelayList(this.aggregator.buffer, event, conn.url);
      }
      if (event.kind === RELAY_REPORT_KIND) this.monitorReport(event, conn.url);
    });
  }

  /**
   * Keeps another NIP-66 monitor's report of a relay; the relay it names, when public, is a
   * discovery candidate like one named in a relay list.
   */
  private monitorReport(event: NostrEvent, from: string): void {
    const report = readMonitorReport(event, this.monitorPubkey);
    if (!report) return;
    this.aggregator.buffer.monitorReports.add(report);
    if (this.discovery && report.publicHost) this.aggregator.buffer.addDiscovered(report.relayUrl, from);
  }
}
