import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { bech32 } from '@scure/base';

/** BOLT 11 amount multipliers; `none` means an invoice without an amount. */
export type Bolt11Multiplier = 'm' | 'u' | 'n' | 'p' | 'none';

/** Every multiplier, for tests and fixtures. */
export const BOLT11_MULTIPLIERS: readonly Bolt11Multiplier[] = ['m', 'u', 'n', 'p', 'none'];

/** Millisatoshis per one unit of each multiplier, times 10 (so `p`, a tenth of a msat, stays integral). */
const DECI_MSATS_PER_UNIT: Record<Exclude<Bolt11Multiplier, 'none'>, bigint> = {
  m: 1_000_000_000n, // 0.001 BTC = 100,000,000 msat
  u: 1_000_000n, // 100,000 msat
  n: 1_000n, // 100 msat
  p: 1n, // 0.1 msat
};

/** Thrown when an amount cannot be written with the requested multiplier. */
export class Bolt11AmountError extends Error {
  override readonly name = 'Bolt11AmountError';
}

/**
 * The human-readable amount for `msats` with a multiplier, e.g. 21 sats with `n` is `210n`.
 * Throws if the amount is not a whole number of units (BOLT 11 also wants `p` amounts to end in 0).
 */
export function bolt11AmountString(msats: bigint, multiplier: Exclude<Bolt11Multiplier, 'none'>): string {
  const unit = DECI_MSATS_PER_UNIT[multiplier];
  const deci = msats * 10n;
  if (deci % unit !== 0n) throw new Bolt11AmountError(`${msats} msat is not a whole number of ${multiplier}`);
  const units = deci / unit;
  if (multiplier === 'p' && units % 10n !== 0n) throw new Bolt11AmountError('p amounts must end in 0');
  return `${units}${multiplier}`;
}

/** The smallest amount (msat) each multiplier can express as a whole sat count, used to round fixtures. */
export function bolt11SatsStep(multiplier: Bolt11Multiplier): number {
  return multiplier === 'm' ? 100_000 : multiplier === 'u' ? 100 : 1;
}

/** What `encodeBolt11` puts into an invoice. */
export interface Bolt11Options {
  /** Amount in millisatoshis; omitted or with multiplier `none` the invoice has no amount. */
  msats?: bigint | number;
  multiplier?: Bolt11Multiplier;
  /** Unix seconds. */
  timestamp?: number;
  /** 32-byte hex. */
  paymentHash: string;
  /** Hash committed to by the `h` field (NIP-57: sha256 of the zap request JSON). */
  descriptionHash?: Uint8Array;
  /** Plain `d` description when no hash is given. */
  description?: string;
  /** Node key that signs the invoice. */
  nodeSecretKey: Uint8Array;
  /** Network prefix after `ln` (`bc` mainnet). */
  network?: string;
}

function intToWords(value: number, length?: number): number[] {
  const words: number[] = [];
  let v = value;
  while (v > 0) {
    words.unshift(v & 31);
    v = Math.floor(v / 32);
  }
  while (length !== undefined && words.length < length) words.unshift(0);
  if (words.length === 0) words.push(0);
  return words;
}

function taggedField(code: number, data: number[]): number[] {
  return [code, ...intToWords(data.length, 2), ...data];
}

/** Packs 5-bit words into bytes with zero padding, as BOLT 11 signs them. */
function wordsToPaddedBytes(words: number[]): Uint8Array {
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const w of words) {
    acc = (acc << 5) | w;
    bits += 5;
    while (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 0xff);
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) bytes.push((acc << (8 - bits)) & 0xff);
  return Uint8Array.from(bytes);
}

/**
 * Encodes a real, signed BOLT 11 invoice (timestamp, `p` payment hash, `h` or `d`, `x` expiry,
 * recoverable secp256k1 signature over sha256(hrp || data)). The amount lives in the human-readable
 * part, which is what zap statistics read.
 */
export function encodeBolt11(opts: Bolt11Options): string {
  const multiplier = opts.multiplier ?? (opts.msats === undefined ? 'none' : 'n');
  const network = opts.network ?? 'bc';
  const amount =
    multiplier === 'none' || opts.msats === undefined
      ? ''
      : bolt11AmountString(BigInt(opts.msats), multiplier);
  const hrp = `ln${network}${amount}`;
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const data: number[] = [...intToWords(timestamp, 7)];
  data.push(...taggedField(1, bech32.toWords(hexToBytes(opts.paymentHash))));
  if (opts.descriptionHash) data.push(...taggedField(23, bech32.toWords(opts.descriptionHash)));
  else data.push(...taggedField(13, bech32.toWords(utf8ToBytes(opts.description ?? ''))));
  data.push(...taggedField(6, intToWords(3600)));
  const digest = sha256(concatBytes(utf8ToBytes(hrp), wordsToPaddedBytes(data)));
  // 'recovered' puts the recovery id first; BOLT 11 wants r || s || recid.
  const sig = secp256k1.sign(digest, opts.nodeSecretKey, { prehash: false, format: 'recovered' });
  const recid = sig[0] ?? 0;
  const sigBytes = concatBytes(sig.subarray(1), Uint8Array.of(recid));
  return bech32.encode(hrp, [...data, ...bech32.toWords(sigBytes)], false);
}

/**
 * Reads the amount (msat) from an invoice's human-readable part, independently of any decoder
 * library: `null` when the invoice has no amount, `undefined` when it is not an invoice at all.
 */
export function bolt11Msats(invoice: string): bigint | null | undefined {
  const lower = invoice.trim().toLowerCase();
  const sep = lower.lastIndexOf('1');
  if (!lower.startsWith('ln') || sep < 0) return undefined;
  try {
    bech32.decode(lower as `${string}1${string}`, false);
  } catch {
    return undefined;
  }
  const m = /^ln(bcrt|bc|tbs|tb|sb)(\d*)([munp]?)$/.exec(lower.slice(0, sep));
  if (!m) return undefined;
  const [, , digits, mult] = m;
  if (!digits) return mult ? undefined : null;
  const value = BigInt(digits);
  if (!mult) return value * 100_000_000_000n;
  const unit = DECI_MSATS_PER_UNIT[mult as Exclude<Bolt11Multiplier, 'none'>];
  return (value * unit) / 10n;
}
