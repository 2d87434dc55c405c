import { frameInSubscription, peekCreatedAt } from '../protocol/relay-message.js';

/** Events asked for per page (relays clamp it to their own maximum). */
export const PAGE_LIMIT = 500;
/** Pages one resume may take before it gives up (a window of ~100,000 events at 500 a page). */
export const MAX_PAGES = 200;

/** What to send after an EOSE: CLOSE the finished page, REQ the next one. */
export interface PagerStep {
  close?: string;
  req?: string;
}

/** How a resume's replay ended (for the log and the metric). */
export interface PagerOutcome {
  pages: number;
  /** True when paging stopped at `MAX_PAGES` or at a second holding more events than a page. */
  truncated: boolean;
}

/**
 * Pages a resumed subscription's replay backwards in time. A relay answers a REQ with at most
 * its own limit of stored events, newest first (NIP-01), then EOSE: 100 for `@nostr-relay`
 * without a `limit`, a few hundred on many relays. After a busy gap the resumed subscription
 * (`since` = last heard − look-back) therefore gets only the newest part of the window. Once the
 * replay's EOSE arrives, the same filter is asked again with `until` = the oldest `created_at`
 * that replay delivered (inclusive, so events sharing that second are not cut), page by page,
 * while each page reaches further back than the one before. Copies already credited are
 * recognised by the relay's seen set, so overlapping pages count nothing twice.
 *
 * Frames are looked at (sub id and `created_at`, read from the bytes) only while a replay is
 * being paged; live streaming pays nothing.
 */
export class ReplayPager {
  private filter: Record<string, unknown> | undefined;
  private baseId = '';
  /** The subscription whose replay is being watched, and its tag in compact frames. */
  private watching = '';
  private tag: Buffer | undefined;
  private until = Number.POSITIVE_INFINITY;
  private oldest = Number.POSITIVE_INFINITY;
  private frames = 0;
  private page = 0;
  private canPage = true;
  /** Extra page subscriptions sent since start. */
  pagesSent = 0;

  /** True while a replay is being watched or paged. */
  get active(): boolean {
    return this.tag !== undefined;
  }

  /**
   * A resumed subscription was sent: watch its replay. `canPage` false when the relay allows one
   * subscription only (NIP-11 `max_subscriptions`): a replay that brought events is then reported
   * as not paged.
   */
  begin(subId: string, filter: Record<string, unknown>, canPage = true): void {
    this.filter = filter;
    this.canPage = canPage;
    this.baseId = subId;
    this.page = 0;
    this.watch(subId, Number.POSITIVE_INFINITY);
  }

  private watch(subId: string, until: number): void {
    this.watching = subId;
    this.tag = Buffer.from(`,${JSON.stringify(subId)},`);
    this.until = until;
    this.oldest = Number.POSITIVE_INFINITY;
    this.frames = 0;
  }

  /** Stops watching (socket closed, subscription closed by the relay). */
  reset(): void {
    this.tag = undefined;
    this.watching = '';
    this.filter = undefined;
  }

  /** Every EVENT frame while `active`: notes the replay's oldest `created_at`. */
  note(frame: Buffer): void {
    const tag = this.tag;
    if (!tag || !frameInSubscription(frame, tag)) return;
    const createdAt = peekCreatedAt(frame);
    if (createdAt !== undefined) this.count(createdAt);
  }

  /** An EVENT message parsed the slow way (a frame spaced differently). */
  noteParsed(subId: string, event: unknown): void {
    if (!this.tag || subId !== this.watching) return;
    const createdAt = (event as { created_at?: unknown } | null)?.created_at;
    if (typeof createdAt === 'number' && Number.isInteger(createdAt)) this.count(createdAt);
  }

  private count(createdAt: number): void {
    this.frames += 1;
    if (createdAt < this.oldest) this.oldest = createdAt;
  }

  /**
   * The relay's EOSE for `subId`: the next page to ask for, if the replay reached further back
   * than the page before it; `undefined` when `subId` is not being watched. `done` is set when
   * the replay is complete.
   */
  eose(subId: string): (PagerStep & { done?: PagerOutcome }) | undefined {
    if (!this.tag || subId !== this.watching || !this.filter) return undefined;
    const step: PagerStep & { done?: PagerOutcome } = {};
    if (this.page > 0) step.close = JSON.stringify(['CLOSE', subId]);
    const progressed = this.frames > 0 && this.oldest < this.until;
    if (!progressed || this.page >= MAX_PAGES || !this.canPage) {
      // A page that brought nothing older and was full: more events share one second than a page
      // holds (or the page cap was hit); the rest of that second cannot be asked for.
      const truncated =
        this.page >= MAX_PAGES ||
        (this.page > 0 && this.frames >= PAGE_LIMIT) ||
        (progressed && !this.canPage);
      step.done = { pages: this.page, truncated };
      this.reset();
      return step;
    }
    this.page += 1;
    this.pagesSent += 1;
    const next = `${this.baseId}p${this.page}`;
    const until = this.oldest;
    step.req = JSON.stringify(['REQ', next, { ...this.filter, until, limit: PAGE_LIMIT }]);
    this.watch(next, until);
    return step;
  }

  /** The relay refused or ended `subId` (CLOSED): paging stops there. */
  closed(subId: string): PagerOutcome | undefined {
    if (!this.tag || subId !== this.watching) return undefined;
    const outcome = { pages: this.page, truncated: true };
    this.reset();
    return outcome;
  }
}
