import { type LookupAddress, lookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isPrivateHost } from '@nostr-info/shared/relay';

/** Raised (as a socket error) when a name resolves to an address no public relay can have. */
export class PrivateAddressError extends Error {
  override readonly name = 'PrivateAddressError';
  readonly code = 'ENOTPUBLIC';
}

/**
 * Throws `PrivateAddressError` when the URL's host is itself a private address or local name: an
 * address literal is dialled without any lookup, so `publicLookup` never sees it.
 */
export function assertPublicHost(url: string | URL): void {
  const { hostname } = typeof url === 'string' ? new URL(url) : url;
  if (isPrivateHost(hostname)) throw new PrivateAddressError(`${hostname} is not a public address`);
}

/** Resolves every address of a name (the system resolver by default; tests pass their own). */
export type ResolveAll = (
  hostname: string,
  options: { family?: number | 'IPv4' | 'IPv6' | undefined },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemResolveAll: ResolveAll = (hostname, options, callback) =>
  lookup(hostname, { ...options, all: true }, callback);

/**
 * `publicLookup` over another resolver: the same rules for every client that dials an address
 * named by someone else (relay lists, LNURL endpoints in profiles). `isPrivate` is the shared
 * rule; tests may declare one of their loopback addresses public.
 */
export function publicLookupWith(
  resolveAll: ResolveAll = systemResolveAll,
  isPrivate: (address: string) => boolean = isPrivateHost,
): LookupFunction {
  return (hostname, options, callback) => {
    resolveAll(hostname, options, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses;
      const refused = list.find((a) => isPrivate(a.address));
      if (refused || list.length === 0) {
        const what = refused ? `${refused.address}, not a public address` : 'no address';
        return callback(new PrivateAddressError(`${hostname} resolves to ${what}`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

/**
 * DNS lookup for relays that anyone can advertise (discovered ones): resolves every address of
 * the name and refuses the connection when any is loopback, private, link-local or otherwise not
 * public, so a relay list cannot point the collector at the cluster's own services (including by
 * a name that resolves there, or starts to after admission). The socket connects to an address
 * this lookup checked, so nothing is resolved twice.
 */
export const publicLookup: LookupFunction = publicLookupWith(systemResolveAll);
