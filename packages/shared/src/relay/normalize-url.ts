/** Why a relay URL was refused. */
export class RelayUrlError extends Error {
  override readonly name = 'RelayUrlError';
}

export interface NormalizeOptions {
  /** Refuse loopback, private, link-local, multicast and single-label or `.local` names (for discovery). */
  rejectPrivate?: boolean;
}

const PRIVATE_V4 = [
  /^0\./,
  /^10\./,
  /^127\./,
  /^169\.254\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^192\.168\./,
  /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./,
  /^(22[4-9]|2[3-5]\d)\./,
];

/** True for hosts that must never be dialled because of a public relay list. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host.endsWith('.internal')
  )
    return true;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return PRIVATE_V4.some((re) => re.test(host));
  if (host.includes(':')) {
    return (
      host === '::' ||
      host === '::1' ||
      host.startsWith('fc') || // unique local fc00::/7
      host.startsWith('fd') ||
      /^fe[89a-f]/.test(host) || // link-local fe80::/10 and old site-local fec0::/10
      host.startsWith('ff') || // multicast
      host.startsWith('::ffff:') || // IPv4-mapped
      host.startsWith('64:ff9b:') // NAT64: an IPv4 address in disguise
    );
  }
  // A bare name without a dot is a local name (e.g. "relay"), not a public relay.
  return !host.includes('.');
}

/**
 * Canonical form of a relay URL, so one relay has one key: lower-case scheme and host, no default
 * port, no trailing slash on the root path, no fragment, no credentials. Query strings are kept
 * (some relays route by them). Throws `RelayUrlError` for anything that is not ws(s).
 */
export function normalizeRelayUrl(input: string, { rejectPrivate = false }: NormalizeOptions = {}): string {
  const raw = input.trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RelayUrlError(`not a URL: ${JSON.stringify(raw.slice(0, 200))}`);
  }
  if (url.protocol !== 'wss:' && url.protocol !== 'ws:') {
    throw new RelayUrlError(`not a WebSocket URL (ws:// or wss://): ${JSON.stringify(raw.slice(0, 200))}`);
  }
  if (!url.hostname) throw new RelayUrlError(`no host in ${JSON.stringify(raw.slice(0, 200))}`);
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
  }
  if (rejectPrivate && isPrivateHost(url.hostname)) {
    throw new RelayUrlError(`local or private address: ${url.hostname}`);
  }
  url.hash = '';
  // The URL parser already lower-cases the scheme and host and drops :443 for wss / :80 for ws.
  let path = url.pathname.replace(/\/{2,}/g, '/');
  if (path.endsWith('/')) path = path.slice(0, -1);
  const host = url.hostname.replace(/\.$/, '');
  const port = url.port ? `:${url.port}` : '';
  return `${url.protocol}//${host}${port}${path}${url.search}`;
}

/** `normalizeRelayUrl` that returns undefined instead of throwing. */
export function tryNormalizeRelayUrl(input: string, options?: NormalizeOptions): string | undefined {
  try {
    return normalizeRelayUrl(input, options);
  } catch {
    return undefined;
  }
}
