import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { NostrEvent } from '@nostr-info/shared/nostr';
import { type Bolt11Multiplier, encodeBolt11 } from './bolt11.js';
import { pureSigner, type Signer } from './signer.js';

/** Options of `buildZap`: an honest NIP-57 zap unless told otherwise. */
export interface BuildZapOptions {
  /** Signs the zap request (the zapper). */
  sender: Uint8Array;
  /** Who is zapped: the request's and the receipt's `p`. */
  receiver: string;
  /** Signs the receipt: the receiver's zap provider key, or anyone else (a forgery). */
  provider: Uint8Array;
  msats: bigint;
  multiplier?: Exclude<Bolt11Multiplier, 'none'>;
  /** bech32 network of the invoice (`bc` mainnet; `tb`, `tbs`, `bcrt` test networks). */
  network?: string;
  /** The paid invoice's payment hash (hex); default derived from the request. */
  paymentHash?: string;
  /** The zapped event (`e` on request and receipt). */
  eventId?: string;
  /** NIP-57 anonymous zap: an `anon` tag, the request signed by `sender` as a throwaway key. */
  anon?: boolean;
  /** The request's `amount` tag: default `msats`; null leaves it out. */
  requestAmount?: bigint | null;
  /** The request's `p`, when it must differ from the receipt's (a recipient mismatch). */
  requestReceiver?: string;
  /** Extra receipt tags (e.g. to republish one payment under a new event id). */
  extraTags?: string[][];
  createdAt: number;
  signer?: Signer;
}

/** A zap request and its receipt, as a wallet service publishes them. */
export interface BuiltZap {
  request: NostrEvent;
  receipt: NostrEvent;
  paymentHash: string;
  bolt11: string;
}

/** Builds a zap request signed by the sender and its receipt signed by `provider` (NIP-57). */
export function buildZap(o: BuildZapOptions): BuiltZap {
  const signer = o.signer ?? pureSigner;
  const requestTags: string[][] = [
    ['p', o.requestReceiver ?? o.receiver],
    ['relays', 'wss://relay1.sim.example'],
  ];
  const amount = o.requestAmount === undefined ? o.msats : o.requestAmount;
  if (amount !== null) requestTags.push(['amount', amount.toString()]);
  if (o.eventId) requestTags.push(['e', o.eventId]);
  if (o.anon) requestTags.push(['anon']);
  const request = signer.finalize(
    { kind: 9734, created_at: o.createdAt, tags: requestTags, content: '' },
    o.sender,
  );
  const description = JSON.stringify(request);
  const paymentHash = o.paymentHash ?? bytesToHex(sha256(utf8ToBytes(`payment:${request.id}`)));
  const bolt11 = encodeBolt11({
    msats: o.msats,
    multiplier: o.multiplier ?? 'n',
    network: o.network ?? 'bc',
    timestamp: o.createdAt,
    paymentHash,
    descriptionHash: sha256(utf8ToBytes(description)),
    nodeSecretKey: o.provider,
  });
  const tags: string[][] = [['p', o.receiver]];
  if (o.eventId) tags.push(['e', o.eventId]);
  tags.push(['P', request.pubkey], ['bolt11', bolt11], ['description', description]);
  tags.push(...(o.extraTags ?? []));
  const receipt = signer.finalize({ kind: 9735, created_at: o.createdAt, tags, content: '' }, o.provider);
  return { request, receipt, paymentHash, bolt11 };
}

/** A profile (kind 0) naming a Lightning address (`lud16`, or `lud06` when given). */
export function lightningProfile(
  secret: Uint8Array,
  address: { lud16?: string; lud06?: string },
  createdAt: number,
  signer: Signer = pureSigner,
): NostrEvent {
  return signer.finalize(
    { kind: 0, created_at: createdAt, tags: [], content: JSON.stringify({ name: 'zapped', ...address }) },
    secret,
  );
}
