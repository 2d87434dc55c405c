import type { NostrEvent } from '@nostr-info/shared/nostr';
import type { TruthOptions } from './truth-types.js';
import type { RelayMode } from './types.js';

/** Requests the parent sends to a simulator child process. */
export type IpcRequest =
  | { id: number; cmd: 'truth'; options?: TruthOptions }
  | { id: number; cmd: 'pause' | 'resume' | 'stats' | 'stop' | 'modes' }
  | { id: number; cmd: 'emit'; n: number }
  | { id: number; cmd: 'setMode'; relay: number; mode: RelayMode }
  | { id: number; cmd: 'publish'; events: NostrEvent[]; relays?: number[] }
  | { id: number; cmd: 'waitForSubscribers'; n: number; timeoutMs?: number }
  | { id: number; cmd: 'drain'; timeoutMs?: number };

/** Replies and the one-off `ready` message from the child. */
export type IpcReply =
  | { type: 'ready'; urls: string[] }
  | { type: 'failed'; error: string }
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };
