import type { Logger } from '@nostr-info/shared/log';
import { COLLECTED_KINDS } from '@nostr-info/shared/nostr';
import WebSocket from 'ws';
import type { CollectorMetrics } from '../observe/metrics.js';
import { OpenSubscriptions } from '../protocol/subscription-filter.js';
import type { RelayLimits } from './connection-types.js';
import { type PagerOutcome, ReplayPager } from './replay-pager.js';
import type { ResumePoint } from './resume-point.js';

/** Kinds the collector subscribes to (the one list, `COLLECTED_KINDS`). */
export const SUBSCRIBED_KINDS: readonly number[] = COLLECTED_KINDS;

/** What a subscription needs from the collector: its logger and metrics. */
export interface SubscriptionHost {
  logger: Logger;
  metrics: CollectorMetrics;
}

/**
 * The collector's one subscription on a relay's socket: each REQ asks from now the first time and
 * later looks back behind the gap (see `ResumePoint`), a resumed replay cut at the relay's limit
 * is paged back to its `since` (see `ReplayPager`) as far as the relay's NIP-11 limits allow, and
 * the relay's answer to each REQ (EOSE) is timed.
 */
export class RelaySubscription {
  private readonly pager = new ReplayPager();
  /** The REQs open on the socket, that every copy is checked against (see `OpenSubscriptions`). */
  private readonly subs = new OpenSubscriptions();
  private counter = 0;
  private subId = '';
  private reqSentAt = 0;
  private maxMessageLength: number | null = null;
  private maxSubscriptions: number | null = null;

  constructor(
    private readonly url: string,
    private readonly point: ResumePoint,
    private readonly host: SubscriptionHost,
  ) {}

  /** Id of the latest REQ ('' before the first). */
  get id(): string {
    return this.subId;
  }

  /** The subscriptions open on the current socket (main REQ, replay page). */
  get open(): OpenSubscriptions {
    return this.subs;
  }

  /** The limits last taken from the relay's NIP-11 document. */
  get limits(): RelayLimits {
    return { maxMessageLength: this.maxMessageLength, maxSubscriptions: this.maxSubscriptions };
  }

  /** Takes the limits the relay states in its NIP-11 document (they apply from the next REQ). */
  applyLimits({ maxMessageLength, maxSubscriptions }: RelayLimits): void {
    this.maxMessageLength = maxMessageLength;
    this.maxSubscriptions = maxSubscriptions;
  }

  /**
   * Sends the next REQ on an open socket. The first asks from now; later ones look back behind
   * the gap, so events the relay got meanwhile with older timestamps arrive too (`RelaySeen`
   * drops copies already credited).
   */
  send(ws: WebSocket): void {
    const resumed = this.point.subscribedOnce;
    const { since, capped } = this.point.nextSince();
    if (capped) {
      const seen = this.point.seen;
      this.host.metrics.resumesCapped.inc({ relay: this.url });
      this.host.logger.info(
        { relay: this.url, since, cappedResumes: seen.cappedResumes, evicted: seen.evicted },
        'resume window capped: the seen set was full',
      );
    }
    this.counter += 1;
    this.subId = `ni${this.counter}`;
    const filter = { kinds: SUBSCRIBED_KINDS, since };
    const req = JSON.stringify(['REQ', this.subId, filter]);
    // A resumed replay may be cut at the relay's limit: page it back to `since` after its EOSE.
    // A page still open from an earlier replay on this socket is closed first.
    const stale = resumed
      ? this.pager.begin(this.subId, filter, (this.maxSubscriptions ?? 2) >= 2)
      : this.pager.abandon();
    if (stale) ws.send(stale);
    if (this.maxMessageLength !== null && req.length > this.maxMessageLength) {
      this.host.logger.warn(
        { relay: this.url, maxMessageLength: this.maxMessageLength },
        'REQ longer than relay allows',
      );
    }
    this.reqSentAt = Date.now();
    // Copies are checked against the REQ that asked for them; the one it replaces winds down.
    this.subs.open(this.subId, filter, this.reqSentAt);
    this.subs.closeAllBut(this.subId, this.reqSentAt);
    ws.send(req);
    this.point.subscribed();
  }

  /** An EVENT frame as received (its sub id and `created_at` matter while a replay is paged). */
  noteFrame(frame: Buffer): void {
    if (this.pager.active) this.pager.note(frame);
  }

  /** An EVENT message that took the slow path (parsed: a frame spaced differently). */
  noteParsed(subId: string, event: unknown): void {
    if (this.pager.active) this.pager.noteParsed(subId, event);
  }

  /**
   * The relay's EOSE for `subId`: pages a resumed replay on, then returns how long the relay took
   * to answer the latest REQ (`undefined` when the EOSE is not that answer).
   */
  eose(ws: WebSocket, subId: string): number | undefined {
    this.pageReplay(ws, subId);
    if (subId !== this.subId || this.reqSentAt === 0) return undefined;
    const eoseMs = Date.now() - this.reqSentAt;
    this.reqSentAt = 0;
    return eoseMs;
  }

  /** The relay CLOSED `subId`; true when that was the subscription itself (not a page). */
  closed(subId: string, reason: string): boolean {
    this.subs.close(subId);
    const paged = this.pager.closed(subId);
    if (paged) this.replayDone(paged, reason);
    return subId === this.subId;
  }

  /** The socket closed: no replay is watched any more. */
  reset(): void {
    this.pager.reset();
    this.subs.clear();
  }

  /** After an EOSE of a replay being paged: closes the finished page and asks for the next. */
  private pageReplay(ws: WebSocket, subId: string): void {
    const step = this.pager.eose(subId, this.point.seen.lowest);
    if (!step) return;
    if (ws.readyState === WebSocket.OPEN) {
      if (step.close) {
        this.subs.close(subId);
        ws.send(step.close);
      }
      if (step.req) {
        if (step.page) this.subs.open(step.page.id, { kinds: SUBSCRIBED_KINDS, ...step.page });
        ws.send(step.req);
        this.host.metrics.replayPages.inc({ relay: this.url });
      }
    }
    if (step.done) this.replayDone(step.done);
  }

  private replayDone(outcome: PagerOutcome, reason?: string): void {
    if (!outcome.truncated) {
      if (outcome.pages > 1)
        this.host.logger.debug({ relay: this.url, pages: outcome.pages }, 'resumed replay paged');
      return;
    }
    this.host.metrics.replaysTruncated.inc({ relay: this.url });
    this.host.logger.info(
      { relay: this.url, pages: outcome.pages, reason },
      'resumed replay not paged to the end of the window: older events may be missed',
    );
  }
}
