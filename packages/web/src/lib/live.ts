import type { LiveMessage, SnapshotNotice } from './types.js';

export type LiveState = 'connecting' | 'open' | 'retrying';

export interface LiveHandlers {
  /** Every few seconds: network-wide events/s and relays online. */
  onLive?(message: LiveMessage): void;
  /** A new set of snapshots landed: fetch the view's body again. */
  onSnapshot?(notice: SnapshotNotice): void;
  onState?(state: LiveState): void;
}

/** The open stream; `close` ends it for good. */
export interface LiveConnection {
  close(): void;
}

const STREAM_PATH = '/api/v1/stream';
/** After the browser gave up on the stream (a refused or failed connection), wait this long first. */
const FIRST_RETRY_MS = 15_000;
const MAX_RETRY_MS = 300_000;

function parse<T>(event: Event): T | undefined {
  try {
    return JSON.parse((event as MessageEvent<string>).data) as T;
  } catch {
    return undefined;
  }
}

/**
 * One `EventSource` on `/api/v1/stream` for the page's lifetime. The browser reconnects by itself
 * after a dropped connection (the server's `retry:` hint); when it gives up (an answer that is
 * not a stream, such as the per-client stream cap), a new one is opened after a growing delay, so
 * a page left open costs few requests. The stream is closed when the page is hidden for good
 * (`pagehide`), which frees the per-client stream slot at once for the next page, and opened again
 * if the page comes back from the back/forward cache.
 */
export function connectLive({ onLive, onSnapshot, onState }: LiveHandlers): LiveConnection {
  let source: EventSource | undefined;
  let timer: number | undefined;
  let retryMs = FIRST_RETRY_MS;
  let closed = false;

  const open = () => {
    if (closed || source) return;
    onState?.('connecting');
    const es = new EventSource(STREAM_PATH);
    source = es;
    es.addEventListener('open', () => {
      retryMs = FIRST_RETRY_MS;
      onState?.('open');
    });
    es.addEventListener('live', (event) => {
      const message = parse<LiveMessage>(event);
      if (message) onLive?.(message);
    });
    es.addEventListener('snapshot', (event) => onSnapshot?.(parse<SnapshotNotice>(event) ?? {}));
    es.addEventListener('error', () => {
      if (es.readyState !== EventSource.CLOSED) {
        onState?.('retrying');
        return;
      }
      es.close();
      source = undefined;
      onState?.('retrying');
      timer = window.setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    });
  };
  const stop = () => {
    window.clearTimeout(timer);
    source?.close();
    source = undefined;
  };
  const onPageHide = () => stop();
  const onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) open();
  };
  window.addEventListener('pagehide', onPageHide);
  window.addEventListener('pageshow', onPageShow);
  open();
  return {
    close() {
      closed = true;
      stop();
      window.removeEventListener('pagehide', onPageHide);
      window.removeEventListener('pageshow', onPageShow);
    },
  };
}
