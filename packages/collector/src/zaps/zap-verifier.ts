import type { Logger } from '@nostr-info/shared/log';
import type { ZapRejectReason } from '@nostr-info/shared/stats';
import type { ZapReceiptSink } from '../aggregate/aggregator.js';
import { hourOf } from '../aggregate/buckets.js';
import type { StoredUnverified, ZapVerdicts } from '../aggregate/zap-verdicts.js';
import { readZapReceipt, satsOf, type ZapReading } from '../extract/zap.js';
import type { LightningEntry } from '../extract/zap-profile.js';
import type { NostrEvent } from '../protocol/event.js';
import type { LightningDirectory } from './lightning-directory.js';
import { lnurlPayUrl } from './lnurl.js';
import { ProfileWaits } from './profile-waits.js';
import type { ProviderKeys } from './provider-keys.js';

/** Options of `ZapVerifier`. */
export interface ZapVerifierOptions {
  /** The verdicts of the buffer being filled now (they land in the next flush). */
  verdicts: () => ZapVerdicts;
  /** BIP-340 check of a zap request (the collector's verifier pool). */
  verify: (item: { id: string; pubkey: string; sig: string }) => Promise<boolean>;
  directory: Pick<LightningDirectory, 'remember' | 'local' | 'fetch'>;
  providers: Pick<ProviderKeys, 'lookup'>;
  /** `LNURL_ALLOW_INSECURE`: `name@domain` addresses are fetched over http. */
  insecure?: boolean;
  /** Receipts being checked at once; past it new ones are `unverified` (default 10,000). */
  maxPending?: number;
  /** How long a receipt waits for its recipient's profile to be seen (default 30 s). */
  profileWaitMs?: number;
  /** How often waiting receipts look for profiles other replicas stored (default 1 s). */
  recheckMs?: number;
  onPending?: (pending: number) => void;
  logger: Pick<Logger, 'warn'>;
}

/**
 * Checks network-unique zap receipts per NIP-57, off the event path: the pipeline hands each
 * receipt over and moves on; the verdict lands in whatever buffer is being filled when it is
 * known, so in a later flush, under the hour the receipt was received.
 * 1. The checks that need neither cryptography nor the network (`readZapReceipt`).
 * 2. The zap request's signature, on the verifier pool (`bad_request`).
 * 3. The recipient's Lightning address: from a profile this replica saw, else one any replica
 *    stored; a recipient with none yet waits up to `profileWaitMs`, then is `unverified`.
 * 4. The LNURL-pay document it names (cached a day): its `nostrPubkey` must have signed the
 *    receipt (`zapper_mismatch`); no document is `unverified`.
 * 5. Accepted and unverified receipts claim their payment hash in the flush (`duplicate_payment`).
 * Unverified receipts are kept (`zap_unverified`); a flush that finds their recipient has a
 * Lightning address now hands them back (`recheck`), and they move to accepted or their reason.
 */
export class ZapVerifier implements ZapReceiptSink {
  /** Receipts whose verdict is not known yet. */
  pending = 0;
  private readonly flows = new Set<Promise<void>>();
  private readonly waits: ProfileWaits;
  private readonly opts: ZapVerifierOptions;
  private readonly maxPending: number;
  private overflowLogged = 0;

  constructor(options: ZapVerifierOptions) {
    this.opts = options;
    this.maxPending = options.maxPending ?? 10_000;
    this.waits = new ProfileWaits({
      fetch: (pubkeys) => options.directory.fetch(pubkeys),
      waitMs: options.profileWaitMs ?? 30_000,
      recheckMs: options.recheckMs ?? 1000,
      onError: (err) => options.logger.warn({ err }, 'profile lookup for zap receipts failed; retrying'),
    });
  }

  /** A network-unique receipt received at `atMs`. */
  receipt(event: NostrEvent, atMs: number): void {
    const reading = readZapReceipt(event);
    if (reading.reason === 'no_request' || reading.reason === 'bad_request' || !reading.request) {
      this.reject(atMs, reading.reason ?? 'bad_request', reading);
      return;
    }
    if (this.pending >= this.maxPending) {
      if (Date.now() - this.overflowLogged > 60_000) {
        this.overflowLogged = Date.now();
        this.opts.logger.warn(
          { pending: this.pending },
          'zap receipts waiting over the cap: new ones unverified',
        );
      }
      this.reject(atMs, 'unverified', reading);
      return;
    }
    this.setPending(1);
    const flow = this.check(event, atMs, reading).finally(() => {
      this.flows.delete(flow);
      this.setPending(-1);
    });
    this.flows.add(flow);
  }

  /**
   * Receipts counted `unverified` earlier whose recipient has a Lightning address now (found by a
   * flush): checked again; accepted ones verify their payment, rejected ones move to their reason,
   * the rest stay unverified.
   */
  recheck(stored: readonly StoredUnverified[]): void {
    for (const s of stored) {
      if (this.pending >= this.maxPending) return;
      this.setPending(1);
      const flow = this.checkStored(s).finally(() => {
        this.flows.delete(flow);
        this.setPending(-1);
      });
      this.flows.add(flow);
    }
  }

  /** A profile seen on this replica: its Lightning address, and any receipt waiting for it. */
  profile(entry: LightningEntry): void {
    this.opts.directory.remember(entry);
    this.waits.found(entry);
  }

  /**
   * Settles every receipt (the stop): ones waiting for their recipient's profile wait at most
   * `profileGraceMs` more (other replicas stopping at the same time flush the profiles they saw),
   * then go on or are `unverified`; resolves when every verdict is in the buffer.
   */
  async drain(profileGraceMs = 1500): Promise<void> {
    this.waits.settleNow(profileGraceMs);
    while (this.flows.size > 0) await Promise.allSettled([...this.flows]);
  }

  /** Stops the recheck timer (after `drain`). */
  close(): void {
    this.waits.close();
  }

  private async check(event: NostrEvent, atMs: number, reading: ZapReading): Promise<void> {
    const request = reading.request;
    if (!request) return;
    let signed: boolean;
    try {
      signed = await this.opts.verify(request.event);
    } catch {
      signed = false;
    }
    if (!signed) return this.reject(atMs, 'bad_request', reading);
    if (reading.reason) return this.reject(atMs, reading.reason, reading);
    const receiver = reading.receiver;
    const entry = receiver
      ? (this.opts.directory.local(receiver) ?? (await this.waits.wait(receiver)))
      : undefined;
    const url = entry ? lnurlPayUrl(entry, this.opts.insecure ?? false) : undefined;
    if (!url) return this.claim(event, atMs, reading, 'unverified');
    const answer = await this.opts.providers.lookup(url);
    if (answer.kind === 'down') return this.claim(event, atMs, reading, 'unverified');
    if (answer.kind === 'no_nostr' || answer.pubkey !== event.pubkey) {
      return this.reject(atMs, 'zapper_mismatch', reading);
    }
    this.claim(event, atMs, reading, 'accepted');
  }

  private async checkStored(s: StoredUnverified): Promise<void> {
    if (!s.receiver) return;
    const entry =
      this.opts.directory.local(s.receiver) ??
      (await this.opts.directory.fetch([s.receiver])).get(s.receiver);
    const url = entry ? lnurlPayUrl(entry, this.opts.insecure ?? false) : undefined;
    if (!url) return;
    const answer = await this.opts.providers.lookup(url);
    if (answer.kind === 'down') return;
    if (answer.kind === 'no_nostr' || answer.pubkey !== s.signer) {
      this.opts.verdicts().drop(s.paymentHash, 'zapper_mismatch');
      return;
    }
    this.opts.verdicts().claim({ ...s, verdict: 'accepted', recheck: true });
  }

  private reject(atMs: number, reason: ZapRejectReason, reading: ZapReading): void {
    const { sats, extraMsats } = satsOf(reading.msats);
    this.opts.verdicts().reject(hourOf(atMs), reason, sats, extraMsats, 1, atMs);
  }

  private claim(
    event: NostrEvent,
    atMs: number,
    reading: ZapReading,
    verdict: 'accepted' | 'unverified',
  ): void {
    if (!reading.paymentHash) {
      this.reject(atMs, 'implausible', reading);
      return;
    }
    const { sats, extraMsats } = satsOf(reading.msats);
    this.opts.verdicts().claim({
      hour: hourOf(atMs),
      atMs,
      receiptId: event.id,
      paymentHash: reading.paymentHash,
      verdict,
      sats,
      extraMsats,
      sender: reading.sender,
      receiver: reading.receiver,
      signer: event.pubkey,
      recheck: false,
    });
  }

  private setPending(delta: number): void {
    this.pending += delta;
    this.opts.onPending?.(this.pending);
  }
}
