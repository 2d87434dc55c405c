import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { NostrEvent } from '@nostr-info/shared/nostr';
import { type Bolt11Multiplier, bolt11SatsStep, encodeBolt11 } from './bolt11.js';
import { deriveSecretKey } from './rng.js';
import { pureSigner, type Signer } from './signer.js';

/** Options of `makeEvent`. */
export interface MakeEventOptions {
  kind: number;
  /** Signing key; default a key derived from `seed` and `keyIndex`. */
  secret?: Uint8Array;
  keyIndex?: number;
  seed?: string;
  content?: string;
  tags?: string[][];
  /** Unix seconds; default now. */
  created_at?: number;
  signer?: Signer;
}

/** A properly signed event for hand-built fixtures. */
export function makeEvent(opts: MakeEventOptions): NostrEvent {
  const secret = opts.secret ?? deriveSecretKey(opts.seed ?? 'fixtures', 'author', opts.keyIndex ?? 0);
  const signer = opts.signer ?? pureSigner;
  return signer.finalize(
    {
      kind: opts.kind,
      created_at: opts.created_at ?? Math.floor(Date.now() / 1000),
      tags: opts.tags ?? [],
      content: opts.content ?? '',
    },
    secret,
  );
}

function flipHex(hex: string, at: number): string {
  const c = hex[at] === '0' ? '1' : '0';
  return hex.slice(0, at) + c + hex.slice(at + 1);
}

/** The same event (same id) with a signature that no longer verifies. */
export function corruptSignature(ev: NostrEvent): NostrEvent {
  return { ...ev, sig: flipHex(ev.sig, 10) };
}

/**
 * The same `id` field over altered content, so sha256(serialisation) no longer matches the id: a
 * relay that tampered with the event. A collector must not let this copy shadow the valid one.
 */
export function corruptId(ev: NostrEvent): NostrEvent {
  return { ...ev, content: `${ev.content} ` };
}

/** Options of `makeZapReceipt`. */
export interface MakeZapReceiptOptions {
  /** Amount; give `sats` or `msats` (ignored with multiplier `none`). */
  sats?: number;
  msats?: bigint | number;
  multiplier?: Bolt11Multiplier;
  /** Zap sender (signs the embedded zap request); default a derived key. */
  sender?: Uint8Array;
  /** Zap receiver pubkey (hex); default a derived key's pubkey. */
  receiver?: string;
  /** LNURL server key that signs the receipt. */
  server?: Uint8Array;
  /** Put the sender in a `P` tag (default true). */
  senderTag?: boolean;
  /** Embed the signed zap request in `description` (default true). */
  embedRequest?: boolean;
  /** Zapped event id, if any. */
  eventId?: string;
  created_at?: number;
  /** Replace the bolt11 with a string no decoder accepts. */
  brokenBolt11?: boolean;
  signer?: Signer;
  seed?: string;
}

/**
 * A NIP-57 zap receipt (kind 9735) with a real signed bolt11 invoice whose human-readable amount
 * uses the requested multiplier, the receiver in `p`, the sender in `P` and/or the signed zap
 * request in `description`, and the invoice's `h` committing to that description.
 */
export function makeZapReceipt(opts: MakeZapReceiptOptions = {}): NostrEvent {
  const seed = opts.seed ?? 'fixtures';
  const signer = opts.signer ?? pureSigner;
  const multiplier = opts.multiplier ?? 'n';
  const created_at = opts.created_at ?? Math.floor(Date.now() / 1000);
  const sender = opts.sender ?? deriveSecretKey(seed, 'zap-sender', 0);
  const server = opts.server ?? deriveSecretKey(seed, 'zap-server', 0);
  const receiver = opts.receiver ?? signer.publicKey(deriveSecretKey(seed, 'author', 1));
  let msats: bigint | undefined;
  if (multiplier !== 'none') {
    if (opts.msats !== undefined) msats = BigInt(opts.msats);
    else {
      const step = bolt11SatsStep(multiplier);
      const sats = Math.max(step, Math.round((opts.sats ?? 21) / step) * step);
      msats = BigInt(sats) * 1000n;
    }
  }
  const requestTags: string[][] = [
    ['p', receiver],
    ['relays', 'wss://relay1.sim.example'],
  ];
  if (msats !== undefined) requestTags.push(['amount', msats.toString()]);
  if (opts.eventId) requestTags.push(['e', opts.eventId]);
  const request = signer.finalize({ kind: 9734, created_at, tags: requestTags, content: '' }, sender);
  const description = JSON.stringify(request);
  const paymentHash = bytesToHex(sha256(utf8ToBytes(`${description}:${created_at}`)));
  const bolt11 = opts.brokenBolt11
    ? 'lnbc1notaninvoice'
    : encodeBolt11({
        ...(msats === undefined ? {} : { msats }),
        multiplier,
        timestamp: created_at,
        paymentHash,
        descriptionHash: sha256(utf8ToBytes(description)),
        nodeSecretKey: server,
      });
  const tags: string[][] = [['p', receiver]];
  if (opts.eventId) tags.push(['e', opts.eventId]);
  if (opts.senderTag ?? true) tags.push(['P', request.pubkey]);
  tags.push(['bolt11', bolt11]);
  if (opts.embedRequest ?? true) tags.push(['description', description]);
  tags.push(['preimage', paymentHash]);
  return signer.finalize({ kind: 9735, created_at, tags, content: '' }, server);
}
