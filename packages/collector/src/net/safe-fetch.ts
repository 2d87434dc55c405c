import type { LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPrivateHost } from '@nostr-info/shared/relay';
import { PrivateAddressError, publicLookupWith, type ResolveAll } from '../relay/public-lookup.js';
import { HostRateLimit, type HostRateLimitOptions } from './token-bucket.js';

/** Why a fetch was refused or failed. */
export type SafeFetchErrorCode =
  | 'bad_url'
  | 'insecure'
  | 'private_address'
  | 'too_large'
  | 'timeout'
  | 'redirects'
  | 'rate_limited'
  | 'network';

/** Raised by `SafeFetch.get`; `code` says why. */
export class SafeFetchError extends Error {
  override readonly name = 'SafeFetchError';
  constructor(
    message: string,
    readonly code: SafeFetchErrorCode,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Options of `SafeFetch`; the defaults suit small JSON documents named by strangers. */
export interface SafeFetchOptions {
  /** Largest body read; anything longer is refused (default 16 KiB). */
  maxBytes?: number;
  /** Time for the whole fetch, redirects and rate-limit waits included (default 5 s). */
  timeoutMs?: number;
  /** Redirects followed, each checked like the first URL (default 3). */
  maxRedirects?: number;
  /** Plain http allowed (tests only: `LNURL_ALLOW_INSECURE`). */
  allowHttp?: boolean;
  /** Private and loopback addresses allowed (tests only: `LNURL_ALLOW_INSECURE`). */
  allowPrivate?: boolean;
  /** Name resolution (default the system resolver; tests pass their own). */
  resolveAll?: ResolveAll;
  /**
   * The private-address rule (default the shared one, `isPrivateHost`); tests declare one of
   * their loopback addresses public to stand for the internet.
   */
  isPrivate?: (host: string) => boolean;
  /** Requests per host: a shared limiter or its options (default 5 a second, bursts of 10). */
  rateLimit?: HostRateLimit | HostRateLimitOptions;
  userAgent?: string;
}

/** A final (non-redirect) answer. */
export interface SafeResponse {
  status: number;
  /** The URL that answered, after redirects. */
  url: string;
  body: string;
}

type Hop = SafeResponse & { location: string | undefined };

const toError = (err: unknown): SafeFetchError => {
  if (err instanceof SafeFetchError) return err;
  const e = err as { code?: string; message?: string };
  if (e?.code === 'ENOTPUBLIC')
    return new SafeFetchError(String(e.message), 'private_address', { cause: err });
  return new SafeFetchError(`fetch failed: ${e?.message ?? String(err)}`, 'network', { cause: err });
};

/**
 * The one HTTP client for URLs that events name (LNURL-pay endpoints in profiles, the NIP-11
 * documents of relays found in relay lists): https only, public addresses only — checked after
 * name resolution, and the socket dials the checked address, so a name cannot be re-pointed
 * between check and connect — on the first URL and on every redirect (followed by hand, at most
 * `maxRedirects`), a capped body, one deadline for everything, and a token bucket per host, so an
 * event cannot aim the collector at the cluster's own services or make it hammer, stream to, or
 * hang on anyone's server.
 */
export class SafeFetch {
  private readonly maxBytes: number;
  private readonly timeoutMs: number;
  private readonly maxRedirects: number;
  private readonly allowHttp: boolean;
  private readonly allowPrivate: boolean;
  private readonly isPrivate: (host: string) => boolean;
  private readonly lookup: LookupFunction | undefined;
  private readonly limiter: HostRateLimit;
  private readonly userAgent: string;

  constructor({
    maxBytes = 16 * 1024,
    timeoutMs = 5000,
    maxRedirects = 3,
    allowHttp = false,
    allowPrivate = false,
    resolveAll,
    isPrivate = isPrivateHost,
    rateLimit,
    userAgent = 'nostr-info-collector',
  }: SafeFetchOptions = {}) {
    this.maxBytes = maxBytes;
    this.timeoutMs = timeoutMs;
    this.maxRedirects = maxRedirects;
    this.allowHttp = allowHttp;
    this.allowPrivate = allowPrivate;
    this.isPrivate = isPrivate;
    this.limiter = rateLimit instanceof HostRateLimit ? rateLimit : new HostRateLimit(rateLimit);
    this.userAgent = userAgent;
    if (!allowPrivate) {
      this.lookup = publicLookupWith(resolveAll, isPrivate);
    } else if (resolveAll) {
      this.lookup = (hostname, options, callback) =>
        resolveAll(hostname, options, (err, list) => {
          const first = list[0];
          if (err || !first) return callback(err ?? new Error(`${hostname}: no address`), '', 0);
          if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
          callback(null, first.address, first.family);
        });
    }
  }

  /** GETs `url`, following redirects; resolves with the final answer whatever its status. */
  async get(url: string, { accept = 'application/json' }: { accept?: string } = {}): Promise<SafeResponse> {
    const deadline = Date.now() + this.timeoutMs;
    let target = this.checkUrl(url);
    for (let redirects = 0; ; redirects++) {
      const hop = await this.hop(target, accept, deadline);
      if (hop.status < 300 || hop.status >= 400 || hop.location === undefined) {
        return { status: hop.status, url: hop.url, body: hop.body };
      }
      if (redirects === this.maxRedirects) {
        throw new SafeFetchError(`more than ${this.maxRedirects} redirects`, 'redirects');
      }
      target = this.checkUrl(hop.location, target);
    }
  }

  /** Parses a URL (relative to `base` for a redirect) and refuses what may never be dialled. */
  private checkUrl(input: string, base?: URL): URL {
    let url: URL;
    try {
      url = new URL(input, base);
    } catch (err) {
      throw new SafeFetchError('not a URL', 'bad_url', { cause: err });
    }
    if (url.protocol !== 'https:' && !(this.allowHttp && url.protocol === 'http:')) {
      throw new SafeFetchError(`${url.protocol} refused: https only`, 'insecure');
    }
    if (url.username || url.password) throw new SafeFetchError('credentials in URL', 'bad_url');
    // An address literal is dialled without a lookup: checked here.
    if (!this.allowPrivate && this.isPrivate(url.hostname)) {
      throw toError(new PrivateAddressError(`${url.hostname} is not a public address`));
    }
    return url;
  }

  /** One request: waits for the host's token, then reads the answer within the deadline. */
  private async hop(url: URL, accept: string, deadline: number): Promise<Hop> {
    const wait = this.limiter.take(url.host, deadline - Date.now());
    if (wait < 0) throw new SafeFetchError(`rate limit for ${url.host}`, 'rate_limited');
    if (wait > 0) await sleep(wait);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new SafeFetchError(`timed out after ${this.timeoutMs} ms`, 'timeout');
    return new Promise<Hop>((resolve, reject) => {
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(toError(err));
      };
      const done = (hop: Hop) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(hop);
      };
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        {
          method: 'GET',
          agent: false,
          headers: { Accept: accept, 'User-Agent': this.userAgent },
          ...(this.lookup ? { lookup: this.lookup } : {}),
        },
        (res) => this.read(res, url, fail, done),
      );
      // One deadline for the whole answer: a server trickling a byte now and then cannot hold it.
      const timer = setTimeout(
        () => fail(new SafeFetchError(`timed out after ${this.timeoutMs} ms`, 'timeout')),
        remaining,
      );
      req.on('error', fail);
      req.end();
    });
  }

  private read(res: IncomingMessage, url: URL, fail: (err: unknown) => void, done: (hop: Hop) => void): void {
    const status = res.statusCode ?? 0;
    const location = status >= 300 && status < 400 ? res.headers.location : undefined;
    if (location !== undefined) {
      res.resume();
      done({ status, url: url.href, body: '', location });
      return;
    }
    const length = Number(res.headers['content-length'] ?? 0);
    if (length > this.maxBytes) {
      fail(new SafeFetchError(`body of ${length} bytes over ${this.maxBytes}`, 'too_large'));
      return;
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    res.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > this.maxBytes) {
        fail(new SafeFetchError(`body over ${this.maxBytes} bytes`, 'too_large'));
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () =>
      done({ status, url: url.href, body: Buffer.concat(chunks).toString('utf8'), location: undefined }),
    );
    res.on('error', fail);
  }
}
