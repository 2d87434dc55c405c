import { createRequire } from 'node:module';

/** Bytes per item in a packed verification batch: id (32) + x-only pubkey (32) + signature (64). */
export const ITEM_BYTES = 128;

/**
 * The BIP-340 verifiers, fastest first (`bench/verifiers.ts` measures them): libsecp256k1 as a
 * native addon (bcrypto, compiled at install) and libsecp256k1 compiled to WASM (tiny-secp256k1),
 * used when the addon is not built (e.g. installed with scripts disabled).
 */
export type VerifierBackend = 'libsecp256k1-native' | 'libsecp256k1-wasm';

const require = createRequire(import.meta.url);

/** Resolved module paths, handed to worker threads so they load the same files. */
export const BACKEND_PATHS = {
  native: require.resolve('bcrypto/lib/native/schnorr'),
  wasm: require.resolve('tiny-secp256k1'),
} as const;

const PROBE_HEX =
  '8eb80076354c5e2b97179eeed010db7878f84b18a15c75978999ddd08cabe8be' +
  '989c0b76cb563971fdc9bef31ec06c3560f3249d6ee9e5d83c57625596e05f6f' +
  '71551e8bc1334c18b23e2245ec24d0652bca21216cbcbe732f690f241a8ef7d1bf9b94f8c735a1fc906e74fac9f197ca162bb4f1b4af94b08bab5bad92529f2b';

/**
 * Loader shared by the main thread and the workers (CommonJS source, evaluated in both): returns
 * `{ name, verify(id, pubkey, sig) }`. The native addon is probed with a known-valid signature so
 * a half-built addon is never trusted; malformed keys throw inside either library: invalid.
 */
export const LOAD_VERIFIER_SOURCE = `
function loadVerifier(paths, prefer) {
  // A known-valid event (id, pubkey, signature) signed with a fixed test key.
  const probe = Buffer.from(${JSON.stringify(PROBE_HEX)}, 'hex');
  const wrap = (name, fn) => ({
    name,
    verify: (id, pubkey, sig) => {
      try { return fn(id, pubkey, sig) === true; } catch { return false; }
    },
  });
  if (prefer !== 'wasm') {
    try {
      const schnorr = require(paths.native);
      const native = wrap('libsecp256k1-native', (id, pubkey, sig) => schnorr.verify(id, sig, pubkey));
      const probed = native.verify(probe.subarray(0, 32), probe.subarray(32, 64), probe.subarray(64));
      const forged = Buffer.from(probe); forged[127] ^= 1;
      if (probed && !native.verify(forged.subarray(0, 32), forged.subarray(32, 64), forged.subarray(64))) return native;
    } catch {}
  }
  const { verifySchnorr } = require(paths.wasm);
  return wrap('libsecp256k1-wasm', (id, pubkey, sig) => verifySchnorr(id, pubkey, sig));
}
`;

interface Verifier {
  name: VerifierBackend;
  verify(id: Uint8Array, pubkey: Uint8Array, sig: Uint8Array): boolean;
}

/** Which verifier to load: the fastest available, or the WASM one on request (benchmarks, tests). */
export type VerifierPreference = 'auto' | 'wasm';

const loaders = new Map<VerifierPreference, Verifier>();

/** The verifier this process uses on its main thread (the same choice the workers make). */
export function loadVerifier(prefer: VerifierPreference = 'auto'): Verifier {
  let v = loaders.get(prefer);
  if (!v) {
    // The same source the workers evaluate, so both threads always pick the same library.
    const load = new Function('require', 'Buffer', `${LOAD_VERIFIER_SOURCE}; return loadVerifier;`)(
      require,
      Buffer,
    ) as (paths: typeof BACKEND_PATHS, prefer: VerifierPreference) => Verifier;
    v = load(BACKEND_PATHS, prefer);
    loaders.set(prefer, v);
  }
  return v;
}

/** Verifies a packed batch on the calling thread (1 = valid). */
export function verifyPacked(
  packed: Uint8Array,
  count: number,
  prefer: VerifierPreference = 'auto',
): Uint8Array {
  const { verify } = loadVerifier(prefer);
  // Buffer views, not plain Uint8Arrays: the native addon accepts only Buffers.
  const bytes = Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
  const results = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * ITEM_BYTES;
    results[i] = verify(
      bytes.subarray(o, o + 32),
      bytes.subarray(o + 32, o + 64),
      bytes.subarray(o + 64, o + 128),
    )
      ? 1
      : 0;
  }
  return results;
}

/** Writes one item into a packed batch at position `index`. */
export function packItem(target: Buffer, index: number, id: string, pubkey: string, sig: string): void {
  const o = index * ITEM_BYTES;
  target.write(id, o, 32, 'hex');
  target.write(pubkey, o + 32, 32, 'hex');
  target.write(sig, o + 64, 64, 'hex');
}
