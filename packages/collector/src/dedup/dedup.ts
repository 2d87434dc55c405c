import { randomUUID } from 'node:crypto';
import type { Cache } from '@nostr-info/shared/cache';

/**
 * Who wrote the claims found in the cache, as the database knows it: a claim whose writer died
 * before committing it (its flush never landed) is taken over, so a crash loses no event.
 */
export interface ClaimOwners {
  /** True when the instance `token` is dead (fenced, or silent past its heartbeat timeout). */
  isDead(token: string): boolean;
  /** The ids among `ids` already committed as counted (`counted_events`). */
  committed(ids: readonly string[]): Promise<Set<string>>;
  /** Called with how many orphaned claims were taken over. */
  onTakenOver?: (n: number) => void;
}

export interface NetworkDedupOptions {
  cache: Cache;
  /** This instance's token, written in its claims (default: a random one). */
  token?: string;
  /** Claims of dead instances are checked against durable state and taken over when uncommitted. */
  owners?: ClaimOwners;
  ttlSeconds: number;
  /** Ids per Redis pipeline. */
  batchSize?: number;
  /** Called when the cache fails; the failed claims are retried together after `retryMs`. */
  onError?: (err: unknown) => void;
  /** First wait before a retry; doubles while the cache stays away, up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
}

interface Claim {
  key: string;
  /** What the claim writes: this process's token, and the relay that delivered the copy. */
  value: string;
  /** true: first network-wide; false: another replica's; undefined: never answered (closed). */
  resolve: (first: boolean | undefined) => void;
}

/**
 * Network-wide "first time anyone counted this id": SET NX with a TTL in the shared cache, so
 * several replicas (which watch different relays that carry the same events) count each id once.
 * The value written is this process's token: when an answer is lost (timeout after the write
 * landed), the retry reads the key back and recognises its own claim instead of taking it for
 * another replica's, so a slow cache can delay counts but never drop them. The value also names
 * the relay whose copy won, so the replica that sees the event from a second relay can credit the
 * first one with a corroboration, claimed once per event (`corr:<id>`, same TTL).
 *
 * One loop sends the claims, a batch per round trip. While the cache is away the claims that
 * failed wait with a backoff, and each retry also carries the claims queued meanwhile, so once
 * the cache is back everything settles within the next retry.
 */
export class NetworkDedup {
  private queue: Claim[] = [];
  private draining: Promise<void> | undefined;
  private running = 0;
  private closed = false;
  private readonly wakers = new Set<() => void>();
  private readonly token: string;
  private readonly owners: ClaimOwners | undefined;
  private readonly cache: Cache;
  private readonly ttlSeconds: number;
  private readonly batchSize: number;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly onError: ((err: unknown) => void) | undefined;

  constructor({
    cache,
    token = randomUUID(),
    owners,
    ttlSeconds,
    batchSize = 500,
    onError,
    retryMs = 1000,
    maxRetryMs = 5000,
  }: NetworkDedupOptions) {
    this.cache = cache;
    this.token = token;
    this.owners = owners;
    this.ttlSeconds = ttlSeconds;
    this.batchSize = batchSize;
    this.onError = onError;
    this.retryMs = retryMs;
    this.maxRetryMs = maxRetryMs;
  }

  /** Ids waiting for an answer (for back-pressure). */
  get waiting(): number {
    return this.queue.length + this.running;
  }

  /**
   * Resolves true when this call is the first, network-wide, to claim `id`; false when another
   * claim was; undefined when the dedup closed before the cache answered. The claim records
   * `relayId`, the relay that delivered the copy first (see `firstRelay`).
   */
  claim(id: string, relayId?: number): Promise<boolean | undefined> {
    const value = relayId === undefined ? this.token : `${this.token}:${relayId}`;
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.queue.push({ key: `seen:${id}`, value, resolve });
      this.draining ??= this.drain();
    });
  }

  /**
   * Claims the corroboration of each of `ids` (a second relay delivered the event): true for the
   * one claim, network-wide, that credits the relay that delivered it first. One batch, one
   * round trip; rejects when the cache fails (the caller may try again).
   */
  corroborateMany(ids: readonly string[]): Promise<boolean[]> {
    return this.cache.setManyIfAbsent(
      ids.map((id) => `corr:${id}`),
      this.ttlSeconds,
    );
  }

  /** The relay whose copy of `id` won the claim (undefined: unknown, forgotten, or an older claim). */
  async firstRelay(id: string): Promise<number | undefined> {
    const value = await this.cache.get(`seen:${id}`);
    const at = value?.lastIndexOf(':') ?? -1;
    const relayId = value && at >= 0 ? Number(value.slice(at + 1)) : Number.NaN;
    return Number.isSafeInteger(relayId) && relayId > 0 ? relayId : undefined;
  }

  /**
   * Stops retrying (the replica stops): claims the cache has not answered resolve undefined, so
   * the caller can count what it knows (the relay's copy) and report what it cannot. Resolves
   * once the claims sent last have been answered or have failed.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.wakers) wake();
    for (const item of this.queue.splice(0)) item.resolve(undefined);
    await this.draining;
  }

  private async drain(): Promise<void> {
    // The claims of this turn go out together.
    await new Promise((r) => setImmediate(r));
    let failed: Claim[] = [];
    let waitMs = this.retryMs;
    try {
      while (!this.closed && (this.queue.length > 0 || failed.length > 0)) {
        if (failed.length > 0) {
          await this.sleep(waitMs);
          waitMs = Math.min(this.maxRetryMs, waitMs * 2);
          if (this.closed) break;
        }
        const fresh = this.queue.splice(0, this.batchSize);
        this.running += fresh.length;
        const [freshFailed, stillFailed] = await Promise.all([
          // Issued back to back, the commands share round trips (the client pipelines them).
          this.claimFresh(fresh),
          // An earlier try may have landed with its answer lost: our own token means ours.
          this.attempt(failed, async (item) => {
            if (await this.cache.setIfAbsent(item.key, item.value, this.ttlSeconds)) return true;
            return (await this.cache.get(item.key)) === item.value;
          }),
        ]);
        failed = [...stillFailed, ...freshFailed];
        if (failed.length === 0) waitMs = this.retryMs;
      }
    } finally {
      for (const item of failed) item.resolve(undefined);
      this.running -= failed.length;
      this.draining = undefined;
    }
  }

  /**
   * First try of fresh claims. A claim found written by a dead instance is an orphan: when the
   * database does not hold the id as counted, that instance died before its flush landed, and the
   * claim is taken over (compare-and-set, so of several replicas re-reading its relays one wins).
   */
  private async claimFresh(items: Claim[]): Promise<Claim[]> {
    const owners = this.owners;
    if (!owners) {
      return this.attempt(items, (item) => this.cache.setIfAbsent(item.key, item.value, this.ttlSeconds));
    }
    /** Claims found written by a dead instance, with the value found. */
    const orphans = new Map<Claim, string>();
    const failed = await this.attempt(items, async (item) => {
      const previous = await this.cache.claim(item.key, item.value, this.ttlSeconds);
      if (previous === null || previous === item.value) return true;
      const colon = previous.indexOf(':');
      const owner = colon < 0 ? previous : previous.slice(0, colon);
      if (owner === this.token || !owners.isDead(owner)) return false;
      orphans.set(item, previous);
      return undefined;
    });
    if (orphans.size === 0) return failed;
    const idOf = (item: Claim) => item.key.slice('seen:'.length);
    const ids = [...orphans.keys()].map(idOf);
    let committed: Set<string>;
    try {
      committed = await owners.committed(ids);
    } catch (err) {
      this.onError?.(err);
      // Unknown: the orphans go round again with the failed claims.
      return [...failed, ...orphans.keys()];
    }
    let taken = 0;
    const again = await this.attempt([...orphans.keys()], async (item) => {
      if (committed.has(idOf(item))) return false;
      const previous = orphans.get(item) as string;
      const won = await this.cache.replaceIf(item.key, previous, item.value, this.ttlSeconds);
      if (won) taken += 1;
      return won;
    });
    if (taken > 0) owners.onTakenOver?.(taken);
    return [...failed, ...again];
  }

  /**
   * One try for each claim; returns the claims whose try failed (reported once per try). A try
   * answering undefined is neither answered nor failed: the caller settles it.
   */
  private async attempt(
    items: Claim[],
    tryClaim: (item: Claim) => Promise<boolean | undefined>,
  ): Promise<Claim[]> {
    if (items.length === 0) return [];
    const answers = await Promise.allSettled(items.map((item) => tryClaim(item)));
    const failed: Claim[] = [];
    for (const [i, answer] of answers.entries()) {
      const item = items[i] as Claim;
      if (answer.status === 'fulfilled') {
        if (answer.value === undefined) continue;
        this.running -= 1;
        item.resolve(answer.value);
      } else {
        if (failed.length === 0) this.onError?.(answer.reason);
        failed.push(item);
      }
    }
    return failed;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }
}
