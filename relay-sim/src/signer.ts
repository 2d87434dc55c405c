import type { NostrEvent } from '@nostr-info/shared/nostr';
import * as pure from 'nostr-tools/pure';
import * as wasm from 'nostr-tools/wasm';
import { initNostrWasm } from 'nostr-wasm';
import type { EventTemplate } from './types.js';

/** Signs event templates; the WebAssembly one signs a corpus faster than pure JS. */
export interface Signer {
  finalize(template: EventTemplate, secretKey: Uint8Array): NostrEvent;
  publicKey(secretKey: Uint8Array): string;
}

function strip(ev: NostrEvent): NostrEvent {
  // nostr-tools marks signed events as verified with a symbol; a plain object keeps copies honest.
  return {
    id: ev.id,
    pubkey: ev.pubkey,
    created_at: ev.created_at,
    kind: ev.kind,
    tags: ev.tags,
    content: ev.content,
    sig: ev.sig,
  };
}

/** Synchronous pure-JS signer (nostr-tools `finalizeEvent`), fine for hand-built fixtures. */
export const pureSigner: Signer = {
  finalize: (t, sk) => strip(pure.finalizeEvent(t, sk)),
  publicKey: (sk) => pure.getPublicKey(sk),
};

let wasmReady: Promise<Signer> | undefined;

/** The nostr-tools signer backed by nostr-wasm, initialised once per process. */
export function wasmSigner(): Promise<Signer> {
  wasmReady ??= initNostrWasm().then((nw) => {
    wasm.setNostrWasm(nw);
    return {
      finalize: (t, sk) => strip(wasm.finalizeEvent(t, sk)),
      publicKey: (sk) => wasm.getPublicKey(sk),
    };
  });
  return wasmReady;
}

/** Checks id and signature like a collector would (pure JS, no cached verification mark). */
export function verifyNostrEvent(ev: NostrEvent): boolean {
  try {
    return pure.verifyEvent({ ...ev });
  } catch {
    return false;
  }
}
