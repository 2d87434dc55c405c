/** What zap checks read from a BOLT 11 invoice. */
export interface InvoiceFacts {
  /** The bech32 network after `ln`: `bc` is mainnet; `tb`, `tbs`, `bcrt`, `sb` are not. */
  network: string | undefined;
  /** Amount in millisatoshis (the m/u/n/p multiplier applied); none when amountless. */
  msats: bigint | undefined;
  /** 32-byte payment hash, hex: what identifies the payment, whatever event carries it. */
  paymentHash: string | undefined;
}

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
/** 5-bit value of each ASCII letter of the bech32 alphabet, -1 for any other. */
const WORD_OF = new Int8Array(128).fill(-1);
for (let i = 0; i < CHARSET.length; i++) WORD_OF[CHARSET.charCodeAt(i)] = i;
const GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
const NETWORKS = new Set(['bc', 'tb', 'tbs', 'bcrt', 'sb']);
const DIVISORS: Record<string, bigint> = {
  m: 1000n,
  u: 1_000_000n,
  n: 1_000_000_000n,
  p: 1_000_000_000_000n,
};
const MSATS_PER_BTC = 100_000_000_000n;
const MAX_MSATS = 2_100_000_000_000_000_000n;
/** Words of the signature at the end of the data part, and of the timestamp at its start. */
const SIGNATURE_WORDS = 104;
const TIMESTAMP_WORDS = 7;
const PAYMENT_HASH = 1;
/** Tag codes whose value is read as bytes: payment hash, route hints, payment secret, payee, description hash, metadata. */
const BYTE_TAGS = new Set([1, 3, 16, 19, 23, 27]);
/** Words of a 256-bit payment hash (260 bits, the last 4 zero). */
const HASH_WORDS = 52;
/** The payment hash's 32 bytes, reused from call to call. */
const hash = Buffer.alloc(32);

/** The data part's words, reused from call to call (an invoice is read start to end at once). */
let words = new Uint8Array(1024);

function polymod(pre: number): number {
  const top = pre >> 25;
  let chk = (pre & 0x1ffffff) << 5;
  for (let i = 0; i < 5; i++) if ((top >> i) & 1) chk ^= GENERATORS[i] as number;
  return chk;
}

/**
 * Whether `count` words from `start` make whole bytes as BOLT 11 readers convert them (5 bits to
 * 8, no padding): at most 4 bits left over, all zero.
 */
function wholeBytes(start: number, count: number): boolean {
  const left = (count * 5) % 8;
  if (left >= 5) return false;
  return count === 0 || ((words[start + count - 1] as number) & ((1 << left) - 1)) === 0;
}

/** Hex of the 32 bytes held by the 52 words from `start`. */
function hashHex(start: number): string {
  let acc = 0;
  let bits = 0;
  let b = 0;
  for (let i = start; i < start + HASH_WORDS; i++) {
    acc = ((acc << 5) | (words[i] as number)) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      hash[b++] = (acc >> bits) & 0xff;
    }
  }
  return hash.toString('hex');
}

/** Amount of the human-readable part (digits and an optional multiplier) in millisatoshis. */
function amountMsats(digits: string, multiplier: string): bigint | undefined {
  if (multiplier !== '' && !(multiplier in DIVISORS)) return undefined;
  const value = BigInt(digits);
  const divisor = DIVISORS[multiplier];
  const msats = divisor ? (value * MSATS_PER_BTC) / divisor : value * MSATS_PER_BTC;
  if ((multiplier === 'p' && value % 10n !== 0n) || msats > MAX_MSATS) return undefined;
  return msats;
}

/**
 * Reads an invoice; undefined when it is not a decodable BOLT 11 invoice. It accepts and refuses
 * exactly what `light-bolt11-decoder` does (a test holds them to each other), in one pass over
 * the string and without an object per field: bech32 with a valid checksum and no mixed case, a
 * known network, a valid amount, and every field read as bytes (payment hash and secret, payee,
 * description hash, metadata, route hints) and the signature whole bytes. Only the network, the
 * amount and the last 256-bit payment hash are kept.
 */
export function readInvoice(invoice: string): InvoiceFacts | undefined {
  if (invoice.slice(0, 2).toLowerCase() !== 'ln' || invoice.length < 8) return undefined;
  const lower = invoice.toLowerCase();
  if (invoice !== lower && invoice !== invoice.toUpperCase()) return undefined;
  const sep = lower.lastIndexOf('1');
  if (sep <= 0 || lower.length - sep - 1 < 6) return undefined;

  // The checksum covers the expanded prefix and every data word, its own six included.
  let chk = 1;
  for (let i = 0; i < sep; i++) {
    const c = lower.charCodeAt(i);
    if (c < 33 || c > 126) return undefined;
    chk = polymod(chk) ^ (c >> 5);
  }
  chk = polymod(chk);
  for (let i = 0; i < sep; i++) chk = polymod(chk) ^ (lower.charCodeAt(i) & 0x1f);
  const count = lower.length - sep - 1;
  if (words.length < count) words = new Uint8Array(count * 2);
  for (let j = 0; j < count; j++) {
    const c = lower.charCodeAt(sep + 1 + j);
    const w = c < 128 ? (WORD_OF[c] as number) : -1;
    if (w < 0) return undefined;
    words[j] = w;
    chk = polymod(chk) ^ w;
  }
  if (chk !== 1) return undefined;

  // ln + network + amount (digits, then one letter for the multiplier).
  const prefix = lower.slice(0, sep);
  let parts = /^ln(\S+?)(\d*)([a-zA-Z]?)$/.exec(prefix);
  if (parts && !parts[2]) parts = /^ln(\S+)$/.exec(prefix);
  const network = parts?.[1];
  if (!parts || network === undefined || !NETWORKS.has(network)) return undefined;
  const facts: InvoiceFacts = { network, msats: undefined, paymentHash: undefined };
  if (parts[2]) {
    facts.msats = amountMsats(parts[2], parts[3] ?? '');
    if (facts.msats === undefined) return undefined;
  }

  const total = count - 6;
  const body = Math.max(0, total - SIGNATURE_WORDS);
  if (!wholeBytes(body, total - body)) return undefined;
  // Tagged fields: a code word, a two-word length, the value (cut short at the end of the body).
  let i = Math.min(TIMESTAMP_WORDS, body);
  while (i < body) {
    const code = words[i] as number;
    i += 1;
    const lengthWords = Math.min(2, body - i);
    let length = 0;
    for (let k = 0; k < lengthWords; k++) length = length * 32 + (words[i + k] as number);
    i += lengthWords;
    const n = Math.min(length, body - i);
    if (BYTE_TAGS.has(code) && !wholeBytes(i, n)) return undefined;
    if (code === PAYMENT_HASH && n === HASH_WORDS) facts.paymentHash = hashHex(i);
    i += n;
  }
  return facts;
}

/** Amount of a bolt11 invoice in millisatoshis; undefined when unreadable or amountless. */
export function bolt11Msats(invoice: string): bigint | undefined {
  return readInvoice(invoice)?.msats;
}
