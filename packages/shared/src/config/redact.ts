/** Query parameters that carry credentials in connection strings (libpq, Redis, HTTP). */
const SECRET_PARAMS = /^(password|pass|pwd|secret|token|access_token|api_key|apikey|sslpassword)$/i;

/** Text that looks like it contains a credential; cheap test before the real work. */
export function mayContainSecret(text: string): boolean {
  return text.includes('@') || /password|secret|token|pass=|pwd=|nsec1/i.test(text);
}

/**
 * Replaces the password in a connection string so it is safe to log: the userinfo password of
 * a URL, credential query parameters, libpq `password=…` key/value pairs, and `user:pass@` inside
 * free text. The user name and host stay, because they help debugging.
 */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    for (const key of [...url.searchParams.keys()]) {
      if (SECRET_PARAMS.test(key)) url.searchParams.set(key, '***');
    }
    // A password the parser did not see as one (odd schemes, text after the URL) is caught here.
    return redactText(url.toString());
  } catch {
    // Not a URL: fall through to the text rules.
  }
  return redactText(value);
}

/** Masks credentials anywhere in free text (error messages, log lines). */
export function redactText(text: string): string {
  if (!mayContainSecret(text)) return text;
  return (
    text
      // scheme://user:password@host
      .replace(/(\/\/[^:/?#@\s]*:)[^@/\s]*@/g, '$1***@')
      // user:password@host without a scheme
      .replace(/(^|[\s"'=(,])([^\s:/@"'=(,]+:)[^@\s/"']+@/g, '$1$2***@')
      // A NIP-19 secret key (the NIP-66 monitor's MONITOR_SECRET_KEY may be given as one).
      .replace(/\bnsec1[02-9ac-hj-np-z]{6,}/gi, 'nsec1***')
      // key=value and key: value forms (libpq conninfo, query strings)
      .replace(
        /\b(password|pass|pwd|secret|token|sslpassword)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,"']+)/gi,
        '$1$2***',
      )
  );
}
