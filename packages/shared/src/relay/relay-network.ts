/** The network a relay is reached over, from its URL's host. */
export type RelayNetwork = 'clearnet' | 'tor' | 'i2p';

/**
 * `tor` for `.onion` hosts, `i2p` for `.i2p` hosts, `clearnet` otherwise. Overlay hosts have no
 * address in DNS (resolving one would only leak the name to the resolver), so they are never
 * resolved nor located.
 */
export function relayNetwork(url: string): RelayNetwork {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return 'clearnet';
  }
  if (host.endsWith('.onion')) return 'tor';
  if (host.endsWith('.i2p')) return 'i2p';
  return 'clearnet';
}
