import type { RelayMode } from './types.js';

export interface Nip11Options {
  index: number;
  mode: RelayMode;
  maxMessageLength: number;
  maxSubscriptions: number;
  paymentRequired: boolean;
}

/** The NIP-11 document a simulated relay serves (auth_required follows the `auth-required` mode). */
export function nip11Document(o: Nip11Options): Record<string, unknown> {
  return {
    name: `sim-relay-${o.index}`,
    description: 'Simulated relay (nostr-info relay-sim)',
    pubkey: '',
    contact: `mailto:relay${o.index}@sim.example`,
    software: 'git+https://github.com/nostr-info/relay-sim',
    version: '0.1.0',
    supported_nips: [1, 9, 11, 40, 42],
    limitation: {
      max_message_length: o.maxMessageLength,
      max_subscriptions: o.maxSubscriptions,
      max_limit: 5000,
      auth_required: o.mode === 'auth-required',
      payment_required: o.paymentRequired,
      restricted_writes: false,
    },
  };
}
