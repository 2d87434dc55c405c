/** Error class of a socket error, for `last_error_class` (bounded). */
export function classifySocketError(err: Error & { code?: string }): string {
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTPUBLIC') return 'private-address';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (code === 'ETIMEDOUT' || /timed? ?out/i.test(err.message)) return 'timeout';
  if (code === 'ECONNRESET') return 'reset';
  if (code.startsWith('ERR_SSL') || /certificate|tls|ssl/i.test(err.message)) return 'tls';
  if (/Unexpected server response: (\d+)/.test(err.message)) return 'http';
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' || /max payload/i.test(err.message))
    return 'message-too-big';
  if (code.startsWith('WS_ERR')) return 'protocol';
  return 'error';
}
