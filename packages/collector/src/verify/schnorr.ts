import { createRequire } from 'node:module';
import type * as TinySecp256k1 from 'tiny-secp256k1';

/**
 * The BIP-340 verifiers, fastest first (`bench/verifiers.ts` measures them): libsecp256k1 as a
 * native addon (bcrypto, compiled at install) and libsecp256k1 compiled to WASM (tiny-secp256k1),
 * used when the addon is not built (e.g. installed with scripts disabled).
 */
export type VerifierBackend = 'libsecp256k1-native' | 'libsecp256k1-wasm';

/** Which verifier to load: the fastest available, or the WASM one on request (benchmarks, tests). */
export type VerifierPreference = 'auto' | 'wasm';

/** A loaded BIP-340 verifier; `verify` is false for a malformed key or signature, never throws. */
export interface Verifier {
  name: VerifierBackend;
  verify(id: Uint8Array, pubkey: Uint8Array, sig: Uint8Array): boolean;
}

/** bcrypto's native schnorr module (untyped); it accepts only Buffers. */
interface NativeSchnorr {
  verify(msg: Uint8Array, sig: Uint8Array, key: Uint8Array): boolean;
}

// Both libraries are CommonJS, loaded on demand: the addon may be missing or half-built, and the
// WASM module is instantiated only when it is needed.
const require = createRequire(import.meta.url);

/** A known-valid event (id, pubkey, signature) signed with a fixed test key. */
const PROBE = Buffer.from(
  '8eb80076354c5e2b97179eeed010db7878f84b18a15c75978999ddd08cabe8be' +
    '989c0b76cb563971fdc9bef31ec06c3560f3249d6ee9e5d83c57625596e05f6f' +
    '71551e8bc1334c18b23e2245ec24d0652bca21216cbcbe732f690f241a8ef7d1bf9b94f8c735a1fc906e74fac9f197ca162bb4f1b4af94b08bab5bad92529f2b',
  'hex',
);

/** Malformed keys throw inside either library: invalid. */
function wrap(name: VerifierBackend, fn: Verifier['verify']): Verifier {
  return {
    name,
    verify: (id, pubkey, sig) => {
      try {
        return fn(id, pubkey, sig) === true;
      } catch {
        return false;
      }
    },
  };
}

function verifiesProbe({ verify }: Verifier, probe: Buffer): boolean {
  return verify(probe.subarray(0, 32), probe.subarray(32, 64), probe.subarray(64));
}

/**
 * The native addon, probed with a known-valid and a forged signature so a half-built addon is
 * never trusted; undefined when it cannot be loaded or fails the probe.
 */
function loadNative(): Verifier | undefined {
  try {
    const schnorr = require('bcrypto/lib/native/schnorr') as NativeSchnorr;
    const native = wrap('libsecp256k1-native', (id, pubkey, sig) => schnorr.verify(id, sig, pubkey));
    const forged = Buffer.from(PROBE);
    forged.writeUInt8(forged.readUInt8(127) ^ 1, 127);
    if (verifiesProbe(native, PROBE) && !verifiesProbe(native, forged)) return native;
  } catch {
    // Not built (install scripts skipped) or not loadable here: the WASM build below.
  }
  return undefined;
}

function loadWasm(): Verifier {
  const { verifySchnorr } = require('tiny-secp256k1') as typeof TinySecp256k1;
  return wrap('libsecp256k1-wasm', (id, pubkey, sig) => verifySchnorr(id, pubkey, sig));
}

const loaded = new Map<VerifierPreference, Verifier>();

/**
 * The verifier this thread uses, loaded once per preference. The pool's workers import this same
 * module, so every thread of a process picks the same library.
 */
export function loadVerifier(prefer: VerifierPreference = 'auto'): Verifier {
  let verifier = loaded.get(prefer);
  if (!verifier) {
    verifier = (prefer !== 'wasm' ? loadNative() : undefined) ?? loadWasm();
    loaded.set(prefer, verifier);
  }
  return verifier;
}
