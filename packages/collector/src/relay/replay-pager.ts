import { frameInSubscription, peekCreatedAt } from '../protocol/relay-message.js';

/** Events asked for per page (relays clamp it to their own maximum). */
export const PAGE_LIMIT = 500;
/** Pages one resume may take before it gives up (a window of ~100,000 events at 500 a page). */
export const MAX_PAGES = 200;
/** Fewest events an answer must bring to count as cut at the relay's cap (caps are 100 and up). */
const SMALLEST_CAP = 50;

/** What to send after an EOSE: CLOSE the finished page, REQ the next one. */
export interface PagerStep {
  close?: string;
  req?: string;
  /** The page `req` opens, with its window (copies under it are checked against it). */
  page?: { id: string; since: number; until: number };
}

/** How a resume's replay ended (for the log and the metric). */
export interface PagerOutcome {
  pages: number;
  /** True when part of the window could not be asked for (see `eose`). */
  truncated: boolean;
}

/**
 * Pages a resumed subscription's replay backwards in time. A relay answers a REQ with at most
 * its own limit of stored events, newest first (NIP-01), then EOSE: 100 for `@nostr-relay`
 * without a `limit`, a few hundred on many relays. After a busy gap the resumed subscription
 * (`since` = last heard − look-back) therefore gets only the newest part of the window. Once the
 * replay's EOSE arrives, the same filter is asked again with `until` = the oldest `created_at`
 * that replay delivered (inclusive, so events sharing that second are not cut), page by page,
 * while each page reaches further back than the one before.
 *
 * Nothing is counted twice: pages never reach below the relay's seen-set floor (everything the
 * relay delivered from the floor up is recognised there), so `since` rises with the floor and
 * paging stops once the window left lies under it.
 *
 * Frames are looked at (sub id and `created_at`, read from the bytes) only while a replay is
 * being paged; live streaming pays nothing.
 */
export class ReplayPager {
  /** Events asked for per page, and pages one replay may take (`PAGE_LIMIT`, `MAX_PAGES`). */
  private readonly pageLimit: number;
  private readonly maxPages: number;

  /** History backfill pages with the relay's own `max_limit` and its own bound on pages. */
  constructor({
    pageLimit = PAGE_LIMIT,
    maxPages = MAX_PAGES,
  }: { pageLimit?: number; maxPages?: number } = {}) {
    this.pageLimit = pageLimit;
    this.maxPages = maxPages;
  }

  private filter: { since?: number } & Record<string, unknown> = {};
  private baseId = '';
  /** The subscription whose replay is being watched, and its quoted id. */
  private watching = '';
  private tag: Buffer | undefined;
  private until = Number.POSITIVE_INFINITY;
  private oldest = Number.POSITIVE_INFINITY;
  private frames = 0;
  /** A frame newer than the page's `until`: the relay ignores `until`. */
  private ignoresUntil = false;
  private page = 0;
  private canPage = true;
  /** The most events one answer brought (the relay's own cap when it clamps `limit`). */
  private largest = 0;
  private truncated = false;

  /** True while a replay is being watched or paged. */
  get active(): boolean {
    return this.tag !== undefined;
  }

  /**
   * A resumed subscription was sent: watch its replay. `canPage` false when the relay allows one
   * subscription only (NIP-11 `max_subscriptions`): a replay that brought events is then reported
   * as not paged. Returns the CLOSE of a page still open from an earlier replay, if any.
   */
  begin(
    subId: string,
    filter: { since?: number } & Record<string, unknown>,
    canPage = true,
  ): string | undefined {
    const close = this.abandon();
    this.filter = filter;
    this.canPage = canPage;
    this.baseId = subId;
    this.page = 0;
    this.largest = 0;
    this.truncated = false;
    this.watch(subId, Number.POSITIVE_INFINITY);
    return close;
  }

  private watch(subId: string, until: number): void {
    this.watching = subId;
    this.tag = Buffer.from(JSON.stringify(subId));
    this.until = until;
    this.oldest = Number.POSITIVE_INFINITY;
    this.frames = 0;
    this.ignoresUntil = false;
  }

  /** Stops watching; returns the CLOSE of the page subscription still open, if any. */
  abandon(): string | undefined {
    const open = this.tag && this.page > 0 ? JSON.stringify(['CLOSE', this.watching]) : undefined;
    this.reset();
    return open;
  }

  /** Stops watching (socket closed). */
  reset(): void {
    this.tag = undefined;
    this.watching = '';
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
    if (createdAt > this.until) this.ignoresUntil = true;
  }

  /**
   * The relay's EOSE for `subId` (`undefined` when it is not being watched): the next page to
   * ask for, or `done` when the replay is complete. `floor` is the relay's seen-set floor now.
   *
   * A page that brought nothing older ends the paging, unless it was full (as many events as the
   * largest answer so far, or `PAGE_LIMIT`): more events share that second than one answer
   * holds, so the rest of the second is skipped (truncated) and paging goes on below it.
   * Truncated too: a relay that ignores `until`, one that allows a single subscription, the
   * window left under the seen-set floor, and `MAX_PAGES` reached.
   */
  eose(subId: string, floor = 0): (PagerStep & { done?: PagerOutcome }) | undefined {
    if (!this.tag || subId !== this.watching) return undefined;
    const step: PagerStep & { done?: PagerOutcome } = {};
    if (this.page > 0) step.close = JSON.stringify(['CLOSE', subId]);
    this.largest = Math.max(this.largest, this.frames);
    const full =
      this.frames >= this.pageLimit || (this.frames >= SMALLEST_CAP && this.frames >= this.largest);
    const asked = this.filter.since ?? 0;
    const since = Math.max(asked, floor);
    let until = this.oldest;
    let more = this.frames > 0 && this.oldest < this.until;
    if (this.page > 0 && this.ignoresUntil) {
      more = false;
      this.truncated ||= full;
    } else if (!more && this.page > 0 && full && this.until > since) {
      // A full page stuck on one second: skip the rest of it.
      this.truncated = true;
      more = true;
      until = this.until - 1;
    }
    if (more && !this.canPage) {
      this.truncated = true;
      more = false;
    }
    if (more && until < since) {
      // What is left lies under the seen-set floor: asking for it could count copies twice.
      this.truncated ||= full && floor > asked;
      more = false;
    }
    if (more && this.page >= this.maxPages) {
      this.truncated = true;
      more = false;
    }
    if (!more) {
      step.done = { pages: this.page, truncated: this.truncated };
      this.reset();
      return step;
    }
    // A full answer and a floor above the window's start: the part under the floor is skipped.
    if (full && since > asked) this.truncated = true;
    this.page += 1;
    const next = `${this.baseId}p${this.page}`;
    step.req = JSON.stringify(['REQ', next, { ...this.filter, since, until, limit: this.pageLimit }]);
    step.page = { id: next, since, until };
    this.watch(next, until);
    return step;
  }

  /**
   * The relay refused or ended `subId` (CLOSED). A page refused ends the paging (truncated); the
   * main subscription closed before its EOSE ends the watch without a verdict (it is asked again).
   */
  closed(subId: string): PagerOutcome | undefined {
    if (!this.tag || subId !== this.watching) return undefined;
    const page = this.page;
    this.reset();
    return page > 0 ? { pages: page, truncated: true } : undefined;
  }
}
