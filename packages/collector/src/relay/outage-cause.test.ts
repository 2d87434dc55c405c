import { describe, expect, it } from 'vitest';
import { causeOfClose, causeOfSocketError } from './outage-cause.js';

const err = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

describe('outage causes', () => {
  it('classes socket errors by errno, then by message', () => {
    expect(causeOfSocketError(err('getaddrinfo ENOTFOUND x.invalid', 'ENOTFOUND'))).toEqual({
      cause: 'dns',
      detail: 'ENOTFOUND',
    });
    expect(causeOfSocketError(err('getaddrinfo EAI_AGAIN x', 'EAI_AGAIN')).cause).toBe('dns');
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH'])
      expect(causeOfSocketError(err(`connect ${code}`, code))).toEqual({ cause: 'tcp', detail: code });
    expect(causeOfSocketError(err('certificate has expired', 'CERT_HAS_EXPIRED'))).toEqual({
      cause: 'tls',
      detail: 'CERT_HAS_EXPIRED',
    });
    expect(causeOfSocketError(err('x', 'ERR_SSL_WRONG_VERSION_NUMBER')).cause).toBe('tls');
    expect(causeOfSocketError(err('Unexpected server response: 502'))).toEqual({
      cause: 'http_status',
      detail: '502',
    });
    expect(causeOfSocketError(err('Opening handshake has timed out'))).toEqual({
      cause: 'tcp',
      detail: 'ETIMEDOUT',
    });
    expect(causeOfSocketError(err('Invalid WebSocket frame', 'WS_ERR_INVALID_OPCODE'))).toEqual({
      cause: 'ws_close',
      detail: 'WS_ERR_INVALID_OPCODE',
    });
    expect(causeOfSocketError(err('something else'))).toEqual({ cause: 'other', detail: null });
  });

  it('classes a close without an error by its close code', () => {
    expect(causeOfClose(1006)).toEqual({ cause: 'ws_close', detail: '1006' });
    expect(causeOfClose(1001)).toEqual({ cause: 'ws_close', detail: '1001' });
  });
});
