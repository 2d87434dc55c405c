import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bech32 } from '@scure/base';

/** One Lightning address served: its zap provider key, or a provider that is down. */
export interface LnurlAccount {
  /** The key that signs this address's zap receipts (NIP-57 `nostrPubkey`). */
  nostrPubkey?: string;
  /** NIP-57 `allowsNostr` (default: true when a key is given). */
  allowsNostr?: boolean;
  /** The endpoint answers 503: a provider that is down, so its receipts are `unverified`. */
  down?: boolean;
}

/** What a collector learns from a Lightning address (see `LnurlServer.answerFor`). */
export type LnurlAnswer = { kind: 'key'; pubkey: string } | { kind: 'no_nostr' } | { kind: 'down' };

/** A local LNURL-pay server (LUD-06 / LUD-16) on 127.0.0.1, as zap providers run them. */
export interface LnurlServer {
  /** `127.0.0.1:<port>`: the domain of every address it serves. */
  readonly domain: string;
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** The LUD-16 address of `name` here (`name@127.0.0.1:<port>`). */
  address(name: string): string;
  /** The LUD-06 `lnurl1…` of `name` here. */
  lnurl(name: string): string;
  set(name: string, account: LnurlAccount): void;
  account(name: string): LnurlAccount | undefined;
  /**
   * What fetching the LNURL-pay document of a `lud16` / `lud06` gives: the provider key, a
   * document without one, or nothing (another domain, an unknown name, a provider down).
   */
  answerFor(address: { lud16: string | null; lud06: string | null }): LnurlAnswer;
  /** Documents requested so far, by name (what a collector's cache saves). */
  readonly requests: Map<string, number>;
  stop(): Promise<void>;
}

const PATH = /^\/\.well-known\/lnurlp\/([a-z0-9._+-]+)$/;
const LUD16 = /^([a-z0-9._+-]+)@(.+)$/;

/** Starts an LNURL-pay server on `host:port` (default 127.0.0.1, a free port). */
export async function startLnurlServer({ host = '127.0.0.1', port = 0 } = {}): Promise<LnurlServer> {
  const accounts = new Map<string, LnurlAccount>();
  const requests = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const name = PATH.exec(new URL(req.url ?? '/', 'http://x').pathname)?.[1];
    const account = name ? accounts.get(name) : undefined;
    if (name) requests.set(name, (requests.get(name) ?? 0) + 1);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!name || !account) return json(404, { status: 'ERROR', reason: 'unknown address' });
    if (account.down) return json(503, { status: 'ERROR', reason: 'down' });
    const doc: Record<string, unknown> = {
      tag: 'payRequest',
      callback: `${origin}/lnurlp/${name}/callback`,
      minSendable: 1000,
      maxSendable: 100_000_000_000,
      metadata: JSON.stringify([['text/identifier', `${name}@${domain}`]]),
    };
    if (account.nostrPubkey) {
      doc.allowsNostr = account.allowsNostr ?? true;
      doc.nostrPubkey = account.nostrPubkey;
    }
    json(200, doc);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const domain = `${host}:${(server.address() as AddressInfo).port}`;
  const origin = `http://${domain}`;
  const urlOf = (name: string) => `${origin}/.well-known/lnurlp/${name}`;
  const nameOfUrl = (url: string): string | undefined => {
    try {
      const u = new URL(url);
      return u.host === domain ? PATH.exec(u.pathname)?.[1] : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    domain,
    origin,
    address: (name) => `${name}@${domain}`,
    lnurl: (name) => bech32.encode('lnurl', bech32.toWords(new TextEncoder().encode(urlOf(name))), 2000),
    set: (name, account) => accounts.set(name, account),
    account: (name) => accounts.get(name),
    answerFor: ({ lud16, lud06 }) => {
      let name: string | undefined;
      const m = lud16 ? LUD16.exec(lud16) : null;
      if (m) name = m[2] === domain ? m[1] : undefined;
      else if (lud06) {
        try {
          const { words } = bech32.decode(lud06 as `${string}1${string}`, 2000);
          name = nameOfUrl(new TextDecoder().decode(bech32.fromWords(words)));
        } catch {
          name = undefined;
        }
      }
      const account = name ? accounts.get(name) : undefined;
      if (!account || account.down) return { kind: 'down' };
      if (!account.nostrPubkey || account.allowsNostr === false) return { kind: 'no_nostr' };
      return { kind: 'key', pubkey: account.nostrPubkey };
    },
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let shared: { server: Promise<LnurlServer>; users: number } | undefined;

/**
 * The process's LNURL server, shared by every simulated network in it (started on first use,
 * stopped when the last user releases it): the addresses in a corpus name its port, so networks
 * with one seed in one process sign the same events. `port` is where it listens if this call
 * starts it.
 */
export async function acquireSharedLnurlServer(
  port = 0,
): Promise<{ server: LnurlServer; release(): Promise<void> }> {
  // A busy preferred port is not an error: any free one serves, the corpus is made again.
  if (!shared) shared = { server: startLnurlServer({ port }).catch(() => startLnurlServer()), users: 0 };
  const entry = shared;
  entry.users += 1;
  const server = await entry.server;
  let released = false;
  return {
    server,
    release: async () => {
      if (released) return;
      released = true;
      entry.users -= 1;
      if (entry.users === 0 && shared === entry) {
        shared = undefined;
        await server.stop();
      }
    },
  };
}
