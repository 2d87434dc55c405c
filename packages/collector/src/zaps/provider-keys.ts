import type { SafeFetch } from '../net/safe-fetch.js';

/** How long a failed lookup is kept by default: a recheck sooner would get the same answer. */
export const PROVIDER_FAILURE_TTL_MS = 300_000;

/**
 * What an LNURL-pay endpoint says about zaps: the key that signs its receipts (`nostrPubkey`
 * with `allowsNostr`), that it signs none (`no_nostr`), or nothing usable (`down`: unreachable,
 * refused, an error status or document).
 */
export type ProviderAnswer = { kind: 'key'; pubkey: string } | { kind: 'no_nostr' } | { kind: 'down' };

/** Options of `ProviderKeys`. */
export interface ProviderKeysOptions {
  fetch: Pick<SafeFetch, 'get'>;
  /** How long a document is kept (default a day). */
  ttlMs?: number;
  /** How long a failure is kept, so a down endpoint is not asked once per receipt (default 5 min). */
  failureTtlMs?: number;
  /** Documents kept at once; the least recently used go first (default 10,000). */
  maxEntries?: number;
  /** Fetches under way at once; more wait their turn (default 16). */
  maxConcurrent?: number;
  /** Told the answer of every document fetched (the fetches metric). */
  onFetched?: (answer: ProviderAnswer) => void;
  now?: () => number;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Reads an LNURL-pay document (LUD-06) for its zap provider key (NIP-57). */
export function providerAnswerOf(status: number, body: string): ProviderAnswer {
  if (status < 200 || status >= 300) return { kind: 'down' };
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return { kind: 'down' };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { kind: 'down' };
  const d = doc as Record<string, unknown>;
  if (typeof d.status === 'string' && d.status.toUpperCase() === 'ERROR') return { kind: 'down' };
  if (d.allowsNostr === true && typeof d.nostrPubkey === 'string' && HEX64.test(d.nostrPubkey)) {
    return { kind: 'key', pubkey: d.nostrPubkey };
  }
  return { kind: 'no_nostr' };
}

interface Entry {
  answer: ProviderAnswer;
  expiresAt: number;
}

/**
 * Zap provider keys by LNURL-pay URL, fetched through the safe client and cached (a day; a
 * failure for minutes), bounded in size. Concurrent lookups of one URL share one fetch.
 */
export class ProviderKeys {
  private readonly cache = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<ProviderAnswer>>();
  private readonly fetch: Pick<SafeFetch, 'get'>;
  private readonly ttlMs: number;
  private readonly failureTtlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly maxConcurrent: number;
  private readonly onFetched: ((answer: ProviderAnswer) => void) | undefined;
  private running = 0;
  private readonly queue: (() => void)[] = [];
  /** Documents fetched (not served from the cache), for tests and diagnostics. */
  fetches = 0;

  constructor({
    fetch,
    ttlMs = 86_400_000,
    failureTtlMs = PROVIDER_FAILURE_TTL_MS,
    maxEntries = 10_000,
    maxConcurrent = 16,
    onFetched,
    now = Date.now,
  }: ProviderKeysOptions) {
    this.fetch = fetch;
    this.ttlMs = ttlMs;
    this.failureTtlMs = failureTtlMs;
    this.maxEntries = maxEntries;
    this.now = now;
    this.maxConcurrent = maxConcurrent;
    this.onFetched = onFetched;
  }

  /** The answer for `url`, from the cache when fresh. */
  lookup(url: string): Promise<ProviderAnswer> {
    const cached = this.cache.get(url);
    if (cached && cached.expiresAt > this.now()) {
      // Most recently used last, so eviction takes the oldest.
      this.cache.delete(url);
      this.cache.set(url, cached);
      return Promise.resolve(cached.answer);
    }
    const running = this.inFlight.get(url);
    if (running) return running;
    const fetched = this.fetchAnswer(url).then((answer) => {
      this.inFlight.delete(url);
      this.remember(url, answer);
      return answer;
    });
    this.inFlight.set(url, fetched);
    return fetched;
  }

  private async fetchAnswer(url: string): Promise<ProviderAnswer> {
    // A finishing fetch hands its slot straight to the next in line.
    if (this.running >= this.maxConcurrent) await new Promise<void>((go) => this.queue.push(go));
    else this.running += 1;
    this.fetches += 1;
    let answer: ProviderAnswer;
    try {
      const res = await this.fetch.get(url);
      answer = providerAnswerOf(res.status, res.body);
    } catch {
      answer = { kind: 'down' };
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running -= 1;
    }
    this.onFetched?.(answer);
    return answer;
  }

  private remember(url: string, answer: ProviderAnswer): void {
    const ttl = answer.kind === 'down' ? this.failureTtlMs : this.ttlMs;
    this.cache.delete(url);
    this.cache.set(url, { answer, expiresAt: this.now() + ttl });
    while (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }
}
