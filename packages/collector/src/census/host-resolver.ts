import { lookup } from 'node:dns/promises';

/** One address a host name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses (tests map simulated hosts to known addresses). */
export type HostResolver = (host: string) => Promise<ResolvedAddress[]>;

/**
 * The system resolver, both families at once (`getaddrinfo`, as the relay's socket itself
 * would resolve the name: /etc/hosts and the cluster's DNS included). An address literal comes
 * back as itself.
 */
export const systemHostResolver: HostResolver = async (host) => {
  const found = await lookup(host, { all: true, family: 0 });
  return found.flatMap((a) =>
    a.family === 4 || a.family === 6 ? [{ address: a.address, family: a.family }] : [],
  );
};

/** The host of a relay URL as a resolver takes it: an IPv6 literal without its brackets. */
export function resolvableHost(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, '');
}
