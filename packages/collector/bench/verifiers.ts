// Compares BIP-340 verifiers on one core: prints signatures per second.
// Run: pnpm --filter @nostr-info/collector bench:verifiers
import { finalizeEvent, generateSecretKey, verifyEvent } from 'nostr-tools/pure';
import { initNostrWasm } from 'nostr-wasm';
import { verifySchnorr } from 'tiny-secp256k1';
import { loadVerifier } from '../src/verify/schnorr.js';

/** Benchmarks report on stdout. */
const print = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

const N = 2000;
const events = Array.from({ length: N }, (_, i) =>
  finalizeEvent({ kind: 1, created_at: 1_700_000_000 + i, tags: [], content: `v${i}` }, generateSecretKey()),
);
const bytes = events.map((e) => ({
  id: Buffer.from(e.id, 'hex'),
  pk: Buffer.from(e.pubkey, 'hex'),
  sig: Buffer.from(e.sig, 'hex'),
}));

function rate(name: string, fn: (i: number) => boolean, ms = 2000): void {
  const until = performance.now() + ms;
  const started = performance.now();
  let n = 0;
  while (performance.now() < until) {
    for (let k = 0; k < 50; k++) {
      if (!fn(n % N)) throw new Error(`${name}: verification failed`);
      n++;
    }
  }
  const perSecond = Math.round(n / ((performance.now() - started) / 1000));
  print(`${name.padEnd(44)} ${perSecond.toLocaleString('en').padStart(8)} /s`);
}

const wasm = await initNostrWasm();
print('BIP-340 verification, one core');
const native = loadVerifier('auto');
if (native.name !== 'libsecp256k1-native')
  print('(native addon not built: bcrypto install script did not run)');
rate('bcrypto (libsecp256k1 native addon), sig only', (i) => {
  const b = bytes[i];
  return b !== undefined && native.verify(b.id, b.pk, b.sig);
});
rate('tiny-secp256k1 (libsecp256k1 WASM), sig only', (i) => {
  const b = bytes[i];
  return b !== undefined && verifySchnorr(b.id, b.pk, b.sig);
});
rate('nostr-wasm (libsecp256k1 WASM), id + sig', (i) => {
  try {
    wasm.verifyEvent(events[i] as never);
    return true;
  } catch {
    return false;
  }
});
// nostr-tools caches results on the object; verify copies so every call does the work.
rate('nostr-tools (noble, pure JS), id + sig', (i) => {
  const e = events[i];
  if (!e) return false;
  const { id, pubkey, created_at, kind, tags, content, sig } = e;
  return verifyEvent({ id, pubkey, created_at, kind, tags, content, sig } as never);
});
