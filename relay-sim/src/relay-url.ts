/**
 * Relay-URL rules the ground truth applies to discovered relays. They mirror
 * `normalizeRelayUrl(url, { rejectPrivate: true })` in `@nostr-info/shared` (a test checks that
 * both agree on every URL the simulator writes), kept local so the simulator needs no database
 * libraries.
 */
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

function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
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
      host.startsWith('fc') ||
      host.startsWith('fd') ||
      host.startsWith('fe80') ||
      host.startsWith('::ffff:')
    );
  }
  return !host.includes('.');
}

/** Canonical public ws(s) relay URL, or undefined when a collector must reject it. */
export function canonicalPublicRelayUrl(input: string): string | undefined {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'wss:' && url.protocol !== 'ws:') return undefined;
  if (!url.hostname || isPrivateHost(url.hostname)) return undefined;
  url.username = '';
  url.password = '';
  let path = url.pathname.replace(/\/{2,}/g, '/');
  if (path.endsWith('/')) path = path.slice(0, -1);
  const host = url.hostname.replace(/\.$/, '');
  const port = url.port ? `:${url.port}` : '';
  return `${url.protocol}//${host}${port}${path}${url.search}`;
}
