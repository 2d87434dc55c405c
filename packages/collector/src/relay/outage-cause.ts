import type { OutageCauseClass } from '@nostr-info/shared/relay';

/** The cause class of a failure and its detail (null when the class says it all). */
export interface OutageCause {
  cause: OutageCauseClass;
  detail: string | null;
}

const TCP_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** The cause of a socket error, from its errno code first and its message second. */
export function causeOfSocketError(err: Error & { code?: string }): OutageCause {
  const code = err.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENOTPUBLIC')
    return { cause: 'dns', detail: code };
  if (TCP_CODES.has(code)) return { cause: 'tcp', detail: code };
  if (code.startsWith('ERR_SSL') || /certificate|tls|ssl/i.test(err.message))
    return { cause: 'tls', detail: code || 'tls' };
  const status = /Unexpected server response: (\d+)/.exec(err.message);
  if (status?.[1]) return { cause: 'http_status', detail: status[1] };
  // `ws` times the whole opening handshake: nothing answered the connect or the upgrade in time.
  if (/timed? ?out/i.test(err.message)) return { cause: 'tcp', detail: 'ETIMEDOUT' };
  if (code.startsWith('WS_ERR')) return { cause: 'ws_close', detail: code };
  return { cause: 'other', detail: code || null };
}

/** The cause of a socket that closed with no error before it: the WebSocket close code. */
export function causeOfClose(code: number): OutageCause {
  return { cause: 'ws_close', detail: String(code) };
}
