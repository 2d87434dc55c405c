import { randomBytes } from 'node:crypto';
import type WebSocket from 'ws';
import type { NostrEvent } from '../protocol/event.js';
import { MAX_FRAME_BYTES, openSocket } from '../relay/open-socket.js';
import { ReplayPager } from '../relay/replay-pager.js';
import type { Verifier } from '../verify/schnorr.js';
import {
  BACKFILL_KINDS,
  type BackfillRejectReason,
  checkBackfillEvent,
  type PageWindow,
} from './event-check.js';
import type { HistoryPage, PageResult } from './write-page.js';

/** How one relay's history is read (see `readRelayHistory`). */
export interface RelayHistoryOptions {
  url: string;
  /** Lower bound (unix seconds, inclusive). */
  since: number;
  /** Upper bound of the first page: where an earlier run stopped, or the run's start. */
  until: number;
  /** Events asked per page (already clamped to the relay's NIP-11 `max_limit`). */
  pageLimit: number;
  /** Events this run reads from the relay at most; it stops after the page that reaches it. */
  maxEvents: number;
  /** Least time between two page requests to the relay (rate limit). */
  pageIntervalMs: number;
  openTimeoutMs: number;
  /** A page whose EOSE does not come within this ends the relay's run (it resumes next time). */
  pageTimeoutMs: number;
  verifier: Verifier;
  /** Writes a page and the relay's progress (one transaction); the next page waits for it. */
  writePage: (page: HistoryPage) => Promise<PageResult>;
  /** After each page is written. */
  onPage?: (page: HistoryPage, result: PageResult) => void;
}

/** How one relay's run ended. */
export interface RelayHistoryOutcome {
  url: string;
  pages: number;
  events: number;
  rejected: Partial<Record<BackfillRejectReason, number>>;
  /** Read down to `since` (or as far as the relay would go). */
  done: boolean;
  truncated: boolean;
  /** Why the run stopped early (socket, timeout, refusal); the relay resumes from its last page. */
  error?: string;
}

/**
 * Reads one relay's history of kinds 0, 3 and 10002 backwards in time: a REQ with `since`, `until`
 * and `limit`, then, at each EOSE, the next page from the collector's `ReplayPager` (`until` = the
 * oldest `created_at` delivered, inclusive, so a second shared by more events than a page holds is
 * not cut), at most one page in flight and one every `pageIntervalMs`. Each page is checked and
 * written (with the relay's progress) before the next is asked for.
 */
export function readRelayHistory(o: RelayHistoryOptions): Promise<RelayHistoryOutcome> {
  const outcome: RelayHistoryOutcome = {
    url: o.url,
    pages: 0,
    events: 0,
    rejected: {},
    done: false,
    truncated: false,
  };
  const pager = new ReplayPager({ pageLimit: o.pageLimit, maxPages: Number.MAX_SAFE_INTEGER });
  const baseId = `bf${randomBytes(4).toString('hex')}`;
  const filter = { kinds: [...BACKFILL_KINDS], since: o.since };
  let page: { id: string } & PageWindow = { id: baseId, since: o.since, until: o.until };
  let events: NostrEvent[] = [];
  let rejected = 0;
  let lastReqAt = 0;
  let socket: WebSocket;

  return new Promise<RelayHistoryOutcome>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = (error?: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (error) outcome.error = error;
      socket.removeAllListeners('message');
      socket.on('error', () => undefined);
      socket.close();
      resolve(outcome);
    };
    const armTimeout = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(`no EOSE within ${o.pageTimeoutMs} ms`), o.pageTimeoutMs);
    };
    const send = (frame: string) => {
      if (socket.readyState === socket.OPEN) socket.send(frame);
    };
    const request = (req: string) => {
      const wait = Math.max(0, lastReqAt + o.pageIntervalMs - Date.now());
      timer = setTimeout(() => {
        lastReqAt = Date.now();
        send(req);
        armTimeout();
      }, wait);
    };

    const onEose = async (subId: string) => {
      clearTimeout(timer);
      const step = pager.eose(subId, o.since);
      if (!step) return;
      send(step.close ?? JSON.stringify(['CLOSE', subId]));
      const done = step.done !== undefined;
      const written: HistoryPage = {
        relayUrl: o.url,
        since: o.since,
        events,
        rejected,
        reachedAt: done ? o.since : (step.page?.until ?? null),
        done,
        truncated: step.done?.truncated ?? false,
      };
      events = [];
      rejected = 0;
      let result: PageResult;
      try {
        result = await o.writePage(written);
      } catch (err) {
        finish(`writing a page failed: ${(err as Error).message}`);
        return;
      }
      outcome.pages += 1;
      outcome.events += written.events.length;
      outcome.done = done;
      outcome.truncated ||= written.truncated;
      o.onPage?.(written, result);
      if (done || !step.req || !step.page) return finish();
      if (outcome.events >= o.maxEvents) return finish();
      page = step.page;
      request(step.req);
    };

    const onMessage = (data: WebSocket.RawData) => {
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return; // Not JSON: nothing of ours.
      }
      if (!Array.isArray(message)) return;
      const [type, subId] = message;
      if (type === 'EVENT' && subId === page.id) {
        pager.noteParsed(subId, message[2]);
        const checked = checkBackfillEvent(message[2], page, o.verifier);
        if ('event' in checked) events.push(checked.event);
        else {
          rejected += 1;
          outcome.rejected[checked.reason] = (outcome.rejected[checked.reason] ?? 0) + 1;
        }
      } else if (type === 'EOSE' && subId === page.id) void onEose(subId);
      else if (type === 'CLOSED' && subId === page.id) {
        pager.closed(subId);
        finish(`relay closed the request: ${String(message[2] ?? '').slice(0, 200)}`);
      }
    };

    try {
      socket = openSocket(o.url, o.openTimeoutMs, MAX_FRAME_BYTES);
    } catch (err) {
      outcome.error = `cannot open: ${(err as Error).message}`;
      resolve(outcome);
      return;
    }
    socket.on('message', onMessage);
    socket.on('error', (err) => finish(`socket error: ${err.message}`));
    socket.on('close', () => finish('socket closed'));
    socket.on('open', () => {
      pager.begin(baseId, filter);
      request(JSON.stringify(['REQ', baseId, { ...filter, until: o.until, limit: o.pageLimit }]));
    });
  });
}
