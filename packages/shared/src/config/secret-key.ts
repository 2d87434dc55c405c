import { bech32, hex } from '@scure/base';

/** Order of the secp256k1 group: a Schnorr secret key is a scalar in [1, n-1] (BIP-340). */
const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Raised for a value that is neither 64 hex digits nor an `nsec1…` string holding a valid key. */
export class SecretKeyError extends Error {
  override readonly name = 'SecretKeyError';
}

/**
 * A Nostr secret key given as 64 hex digits or as a NIP-19 `nsec1…` string, as 64 lower-case hex
 * digits. The message of a `SecretKeyError` never repeats the value: it is a secret.
 */
export function parseSecretKey(value: string): string {
  const text = value.trim();
  let key: string;
  if (/^[0-9a-fA-F]{64}$/.test(text)) key = text.toLowerCase();
  else if (text.toLowerCase().startsWith('nsec1')) key = hex.encode(decodeNsec(text));
  else throw new SecretKeyError('expected 64 hex digits or an nsec1… key');
  const scalar = BigInt(`0x${key}`);
  if (scalar === 0n || scalar >= CURVE_ORDER) throw new SecretKeyError('not a valid secp256k1 secret key');
  return key;
}

function decodeNsec(text: string): Uint8Array {
  try {
    const { prefix, words } = bech32.decode(text as `${string}1${string}`, 5000);
    const bytes = bech32.fromWords(words);
    if (prefix === 'nsec' && bytes.length === 32) return bytes;
  } catch (err) {
    throw new SecretKeyError('not a valid nsec1… key (bad checksum or characters)', { cause: err });
  }
  throw new SecretKeyError('not a valid nsec1… key (wrong prefix or length)');
}
