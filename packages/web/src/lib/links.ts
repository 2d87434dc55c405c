/** The relay's page (`/relays/<url-encoded url>`), with the range when it is not the default. */
export function relayHref(url: string, range?: string): string {
  const query = range && range !== '24h' ? `?range=${range}` : '';
  return `/relays/${encodeURIComponent(url)}${query}`;
}
