import { ApiRequestError } from './api.js';
import { byId, h, replaceChildren, timeOf } from './dom.js';
import { figure } from './figure.js';
import { formatAgo } from './format.js';
import { connectLive, type LiveConnection, type LiveState } from './live.js';
import type { LiveMessage, SnapshotNotice } from './types.js';

export type Section = 'overview' | 'relays';

/** Sets the document title, the heading, the lead text and the current entry of the site menu. */
export function setPage(section: Section, title: string, lead: string): void {
  document.title = `${title} — nostr-info`;
  byId('page-title').textContent = title;
  byId('page-lead').textContent = lead;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) {
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** The area every page renders into. */
export function appRoot(): HTMLElement {
  return byId('app');
}

const STATE_WORDS: Record<LiveState, string> = {
  connecting: 'connecting…',
  open: 'live',
  retrying: 'reconnecting…',
};

/**
 * The status bar under the heading: when the shown snapshot was computed, whether the live stream
 * is connected, and the stream's network-wide figures (relays online and events/s now), which
 * change every few seconds without a reload.
 */
export class StatusBar {
  readonly element: HTMLElement;
  private readonly computed = h('span', { class: 'computed', 'data-computed-at': '' }, 'no snapshot yet');
  private readonly state = h('span', { class: 'live-state', 'data-live-state': 'connecting' }, 'connecting…');
  private readonly online = h('span', { 'data-live': 'relays_online' }, figure(null));
  private readonly rate = h('span', { 'data-live': 'events_per_second' }, figure(null));
  private live: LiveConnection | undefined;

  constructor() {
    this.element = h(
      'div',
      { class: 'status', role: 'group', 'aria-label': 'Freshness and live figures' },
      h('p', {}, 'Snapshot computed ', this.computed),
      h(
        'p',
        { class: 'live' },
        h('span', { class: 'dot', 'aria-hidden': 'true' }),
        this.state,
        ': ',
        this.online,
        ' relays online, ',
        this.rate,
        ' new events',
      ),
    );
  }

  /** Shows the snapshot's `computed_at` (absolute in the reader's zone; how long ago on hover). */
  setComputedAt(iso: string | null | undefined): void {
    if (!iso) {
      replaceChildren(this.computed, 'no snapshot yet');
      this.computed.dataset.computedAt = '';
      return;
    }
    this.computed.dataset.computedAt = iso;
    replaceChildren(this.computed, timeOf(iso), ` (${formatAgo(iso)})`);
  }

  /** Opens the stream (once); `onSnapshot` runs when new statistics land. */
  connect(onSnapshot: (notice: SnapshotNotice) => void): void {
    if (this.live) return;
    this.live = connectLive({
      onLive: (message) => this.showLive(message),
      onSnapshot,
      onState: (state) => {
        this.state.dataset.liveState = state;
        this.state.textContent = STATE_WORDS[state];
      },
    });
  }

  private showLive(message: LiveMessage): void {
    replaceChildren(
      this.online,
      figure(message.relays_online, { path: 'live.relays_online', unit: 'relays' }),
    );
    replaceChildren(
      this.rate,
      figure(message.events_per_second, { path: 'live.events_per_second', format: 'rate' }),
    );
    this.element.dataset.liveAt = message.at;
  }
}

/** A readable message in place of the page's content when its data cannot be had. */
export function showProblem(root: HTMLElement, err: unknown): void {
  let text = 'The statistics could not be loaded. The page tries again when new statistics land.';
  if (err instanceof ApiRequestError) {
    if (err.code === 'no_snapshot')
      text =
        'No statistics yet: the first computation finishes within a few minutes of the start. This page updates by itself when it does.';
    else if (err.status === 404) text = err.message;
    else if (err.status === 429) text = `${err.message}. The page tries again when new statistics land.`;
  }
  root.removeAttribute('aria-busy');
  replaceChildren(root, h('p', { class: 'problem', role: 'status' }, text));
}
