import type { Database } from '@nostr-info/shared/db';
import type { Logger } from '@nostr-info/shared/log';
import { ownerOf } from '@nostr-info/shared/relay';
import type { Kysely } from 'kysely';
import type { CollectorMetrics } from '../observe/metrics.js';
import { fetchRelayInfo, nip11RefreshDue } from '../relay/nip11.js';
import { probeRelay } from '../relay/probe.js';
import type { RelayConnection } from '../relay/relay-connection.js';
import {
  admitRelay,
  listCandidates,
  listWatched,
  markProbeFailed,
  saveNip11,
  saveNip11Error,
  type WatchedRelay,
} from '../store/relays-repo.js';
import type { DurableResume, StoredResume } from './durable-resume.js';
import type { Handover } from './handover.js';
import type { ReplicaSource } from './replica-count.js';

/** Default of `nip11RefreshMs` (NIP11_REFRESH_SECONDS). */
const NIP11_REFRESH_MS = 6 * 3_600_000;
/** Default of `nip11MinGapMs`. */
const NIP11_MIN_GAP_MS = 60_000;

/** What the reconciler converges and with what. */
export interface ReconcilerOptions {
  db: Kysely<Database>;
  ordinal: number;
  replicas: ReplicaSource;
  /** The connections by relay id, opened and closed here to match ownership. */
  connections: Map<number, RelayConnection>;
  createConnection: (relay: WatchedRelay) => RelayConnection;
  logger: Logger;
  metrics: CollectorMetrics;
  /** Fetch NIP-11 documents (default true). */
  nip11?: boolean;
  /** A held relay's NIP-11 document is fetched again this often, and after each reconnect. */
  nip11RefreshMs?: number;
  /** Reconnects closer together than this share one NIP-11 fetch (a flapping relay is not asked each time). */
  nip11MinGapMs?: number;
  /** Probe discovered relays and admit up to `maxRelays` of them. */
  discovery?: { enabled: boolean; maxRelays: number };
  /**
   * Checks that a discovered relay accepts a socket at a public address (default `probeRelay`);
   * resolves undefined when it does, else the error class.
   */
  probe?: (url: string) => Promise<string | undefined>;
  /** NIP-11 fetches and discovery probes started per tick (spreads load over ticks). */
  perTick?: number;
  /** Resume points handed between replicas; without it every new relay starts at "now". */
  handover?: Handover;
  /** How long a new owner waits for the previous owner's checkpoint. */
  handoverWaitMs?: number;
  /**
   * Durable resume points: a relay without a hand-over checkpoint (its holder crashed) resumes
   * from its last committed flush, and a dead holder's lease is not waited for.
   */
  durable?: DurableResume;
  /** Called when a held relay's NIP-11 fetch starts (on reconnect and refresh): the census resolves its host then. */
  onNip11Fetch?: (relay: WatchedRelay) => void;
  /** Called when a relay resumes (`from`: where its resume point came from). */
  onResume?: (from: 'handover' | 'durable' | 'none', relay: WatchedRelay, gapSeconds: number) => void;
}

/**
 * Level-triggered sharding, like an operator: every tick reads the watched set, computes the
 * relays this replica owns (jump hash over the normalised URL with the current replica count)
 * and opens or closes sockets to match. It never depends on having seen a change event.
 */
export class Reconciler {
  private readonly nip11InFlight = new Set<number>();
  /** The last NIP-11 fetch this replica started per connection: when, and its sockets opened then. */
  private readonly nip11Started = new WeakMap<RelayConnection, { at: number; socketsOpened: number }>();
  private probing = 0;
  private closed = false;
  /** Hand-offs under way (relays being released or taken), awaited by `close`. */
  private readonly handoffs = new Set<Promise<void>>();

  private readonly db: Kysely<Database>;
  private readonly ordinal: number;
  private readonly replicas: ReplicaSource;
  private readonly connections: Map<number, RelayConnection>;
  private readonly createConnection: (relay: WatchedRelay) => RelayConnection;
  private readonly logger: Logger;
  private readonly metrics: CollectorMetrics;
  private readonly nip11: boolean;
  private readonly nip11RefreshMs: number;
  private readonly nip11MinGapMs: number;
  private readonly discovery: { enabled: boolean; maxRelays: number } | undefined;
  private readonly probe: (url: string) => Promise<string | undefined>;
  private readonly perTick: number;
  private readonly handover: Handover | undefined;
  private readonly handoverWaitMs: number;
  private readonly durable: DurableResume | undefined;
  private readonly onResume: ReconcilerOptions['onResume'];
  private readonly onNip11Fetch: ReconcilerOptions['onNip11Fetch'];

  constructor({
    db,
    ordinal,
    replicas,
    connections,
    createConnection,
    logger,
    metrics,
    nip11 = true,
    nip11RefreshMs = NIP11_REFRESH_MS,
    nip11MinGapMs = NIP11_MIN_GAP_MS,
    discovery,
    probe = probeRelay,
    perTick = 8,
    handover,
    handoverWaitMs = 10_000,
    durable,
    onResume,
    onNip11Fetch,
  }: ReconcilerOptions) {
    this.db = db;
    this.ordinal = ordinal;
    this.replicas = replicas;
    this.connections = connections;
    this.createConnection = createConnection;
    this.logger = logger;
    this.metrics = metrics;
    this.nip11 = nip11;
    this.nip11RefreshMs = nip11RefreshMs;
    this.nip11MinGapMs = nip11MinGapMs;
    this.discovery = discovery;
    this.probe = probe;
    this.perTick = perTick;
    this.handover = handover;
    this.handoverWaitMs = handoverWaitMs;
    this.durable = durable;
    this.onResume = onResume;
    this.onNip11Fetch = onNip11Fetch;
  }

  private track(work: Promise<void>): void {
    this.handoffs.add(work);
    void work.finally(() => this.handoffs.delete(work));
  }

  /**
   * Ends sharding (the replica stops): no tick changes the connections after this, a relay whose
   * checkpoint is still awaited is given up (never opened), and relays already being released
   * finish writing their checkpoints. Resolves once all of that is done.
   */
  async close(): Promise<void> {
    this.closed = true;
    while (this.handoffs.size > 0) await Promise.allSettled([...this.handoffs]);
  }

  /**
   * One convergence: renews this replica's holds, opens and closes sockets to match ownership,
   * and moves NIP-11 refreshes and discovery probes along.
   */
  async tick(): Promise<void> {
    const connections = this.connections;
    if (this.closed) return;
    // A local, so that its narrowing holds inside the hand-off callbacks below.
    const handover = this.handover;
    // Holds first: a database that is down must not let them lapse under open sockets.
    if (handover) await handover.hold([...connections.values()].filter((c) => c.started));
    if (this.closed) return;
    const n = this.replicas.current;
    const watched = await listWatched(this.db);
    if (this.closed) return;
    const desired = new Map<number, WatchedRelay>();
    for (const relay of watched) if (ownerOf(relay.url, n) === this.ordinal) desired.set(relay.id, relay);

    for (const [id, conn] of connections) {
      if (!desired.has(id)) {
        connections.delete(id);
        // The checkpoint is written once the socket is closed and its last copies are checked.
        this.track(
          conn
            .stop()
            .then(() => conn.settled())
            .then(() => handover?.save(conn)),
        );
      }
    }
    for (const [id, relay] of desired) {
      if (connections.has(id)) continue;
      const conn = this.createConnection(relay);
      connections.set(id, conn);
      if (!handover) {
        conn.start();
        continue;
      }
      const cancelled = () => this.closed || connections.get(id) !== conn;
      this.track(this.takeOver(relay, conn, handover, cancelled));
    }
    this.metrics.relaysOwned.set(desired.size);
    this.metrics.replicas.set(n);

    if (this.nip11) this.refreshNip11([...desired.values()]);
    if (this.discovery?.enabled) await this.startAdmission(n);
  }

  /**
   * Opens a relay this replica now owns: from the previous holder's hand-over checkpoint when it
   * leaves one, else from the relay's durable resume point. A holder that is dead (fenced, or
   * silent past the heartbeat timeout) is not waited for.
   */
  private async takeOver(
    relay: WatchedRelay,
    conn: RelayConnection,
    handover: Handover,
    cancelled: () => boolean,
  ): Promise<void> {
    const stored = await this.loadStored(relay);
    if (stored?.holderDead) await handover.releaseDead(relay.url);
    const durable = this.durable;
    const holderDead =
      durable && stored && !stored.holderDead ? () => durable.holderDead(stored.holder) : undefined;
    const checkpoint = await handover.take(
      relay.url,
      conn.holder,
      this.handoverWaitMs,
      cancelled,
      holderDead,
    );
    if (cancelled()) return handover.abandon(relay.url, conn.holder, checkpoint);
    // Read again now that the relay is ours: the holder may have flushed more before it died.
    const fresh = checkpoint || !stored ? stored : await this.loadStored(relay);
    const from = checkpoint ?? fresh?.checkpoint;
    if (from) conn.resumeFrom(from);
    const gap = from ? Math.max(0, Math.floor(Date.now() / 1000) - from.lastHeardSec) : 0;
    this.onResume?.(checkpoint ? 'handover' : from ? 'durable' : 'none', relay, gap);
    conn.start();
  }

  private loadStored(relay: WatchedRelay): Promise<StoredResume | undefined> {
    return (
      this.durable?.load(relay.id).catch((err: unknown) => {
        this.logger.warn({ err, relay: relay.url }, 'durable resume point not read');
        return undefined;
      }) ?? Promise.resolve(undefined)
    );
  }

  /**
   * One round of discovery admission: probes the best candidates this replica owns (most distinct
   * authors first, see `listCandidates`) and admits those that answer while the watched
   * discovered relays stay under the cap. Resolves once the round's probes are done.
   */
  async admitDiscovered(n = this.replicas.current): Promise<void> {
    await (await this.startAdmission(n))?.round;
  }

  /**
   * Fetches the NIP-11 documents that are due (see `nip11RefreshDue`): never fetched, older than
   * `nip11RefreshMs`, or the relay reconnected since. A few per tick, one per relay at a time.
   */
  private refreshNip11(owned: WatchedRelay[]): void {
    const perTick = this.perTick;
    const now = Date.now();
    const due = owned.filter((r) => {
      if (this.nip11InFlight.has(r.id)) return false;
      const conn = this.connections.get(r.id);
      const started = conn ? this.nip11Started.get(conn) : undefined;
      return nip11RefreshDue({
        now,
        fetchedAt: r.nip11_fetched_at ? new Date(r.nip11_fetched_at).getTime() : null,
        startedAt: started?.at ?? 0,
        socketsOpened: conn?.socketsOpened ?? 0,
        socketsOpenedAtFetch: started?.socketsOpened ?? 0,
        refreshMs: this.nip11RefreshMs,
        minGapMs: this.nip11MinGapMs,
      });
    });
    for (const relay of due.slice(0, Math.max(0, perTick - this.nip11InFlight.size))) {
      this.nip11InFlight.add(relay.id);
      const held = this.connections.get(relay.id);
      if (held) this.nip11Started.set(held, { at: now, socketsOpened: held.socketsOpened });
      this.onNip11Fetch?.(relay);
      fetchRelayInfo(relay.url, { publicOnly: relay.source === 'discovered' })
        .then(async (info) => {
          const changes = await saveNip11(this.db, relay.id, info);
          if (changes.length > 0) {
            this.logger.info(
              { relay: relay.url, fields: changes.map((c) => c.field) },
              'NIP-11 document changed',
            );
          }
          const conn = this.connections.get(relay.id);
          if (conn) {
            conn.applyLimits(info);
          }
        })
        .catch(async (err: unknown) => {
          await saveNip11Error(this.db, relay.id, (err as Error).message).catch(() => undefined);
        })
        .finally(() => this.nip11InFlight.delete(relay.id));
    }
  }

  /**
   * Starts this round: probes the candidates in parallel, then admits those that answered in rank
   * order, so a lower-ranked candidate whose probe answered first never takes the place of a
   * better one under the cap. Returns the round (a tick does not wait for it).
   */
  private async startAdmission(n: number): Promise<{ round: Promise<void> } | undefined> {
    const discovery = this.discovery;
    if (!discovery || discovery.maxRelays <= 0 || this.probing > 0) return undefined;
    const perTick = this.perTick;
    const candidates = (await listCandidates(this.db, perTick * 20))
      .filter((r) => ownerOf(r.url, n) === this.ordinal)
      .slice(0, perTick);
    if (candidates.length === 0) return undefined;
    this.probing = candidates.length;
    const probed = candidates.map((relay) =>
      this.probe(relay.url).catch((err: unknown) => {
        this.logger.warn({ err, relay: relay.url }, 'discovery probe failed');
        return 'probe-error';
      }),
    );
    // Probes run in the background so a slow candidate never delays convergence.
    const round = (async () => {
      const failures = await Promise.all(probed);
      for (const [i, relay] of candidates.entries()) {
        const failure = failures[i];
        try {
          if (failure) await markProbeFailed(this.db, relay.id, failure);
          else if (await admitRelay(this.db, relay.id, discovery.maxRelays)) {
            this.logger.info({ relay: relay.url }, 'discovered relay admitted');
          }
        } catch (err) {
          this.logger.warn({ err, relay: relay.url }, 'discovery admission failed');
        }
      }
    })().finally(() => {
      this.probing = 0;
    });
    // Wrapped: an async function returning the promise itself would make the tick wait for it.
    return { round };
  }
}
