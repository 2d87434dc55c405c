import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RelayBehaviour } from './relay-behaviour.js';
import type { RelayMode } from './types.js';

/** The software a relay names in its NIP-11 document (each field optional: the defaults below). */
export interface Nip11Identity {
  /** `software` (default the simulator's repository URL); null leaves the field out. */
  software?: string | null;
  /** `version` (default 0.1.0); null leaves the field out. */
  version?: string | null;
  /** `supported_nips` (default 1, 9, 11, 40, 42). */
  supportedNips?: number[];
  /** `limitation.restricted_writes` (default false). */
  restrictedWrites?: boolean;
}

/** What a relay tells about itself in its NIP-11 document. */
export interface Nip11Options {
  index: number;
  identity?: Nip11Identity;
  mode: RelayMode;
  maxMessageLength: number;
  maxSubscriptions: number;
  paymentRequired: boolean;
}

/**
 * The NIP-11 document a simulated relay serves (auth_required follows the `auth-required` mode,
 * payment_required the `payment-required` mode or the `paymentRequired` setting).
 */
export function nip11Document(o: Nip11Options): Record<string, unknown> {
  const id = o.identity ?? {};
  const software = id.software === undefined ? 'git+https://github.com/nostr-info/relay-sim' : id.software;
  const version = id.version === undefined ? '0.1.0' : id.version;
  return {
    name: `sim-relay-${o.index}`,
    description: 'Simulated relay (nostr-info relay-sim)',
    pubkey: '',
    contact: `mailto:relay${o.index}@sim.example`,
    ...(software === null ? {} : { software }),
    ...(version === null ? {} : { version }),
    supported_nips: id.supportedNips ?? [1, 9, 11, 40, 42],
    limitation: {
      max_message_length: o.maxMessageLength,
      max_subscriptions: o.maxSubscriptions,
      max_limit: 5000,
      auth_required: o.mode === 'auth-required',
      payment_required: o.paymentRequired || o.mode === 'payment-required',
      restricted_writes: id.restrictedWrites ?? false,
    },
  };
}

/** What the HTTP handler needs to know about its relay. */
export interface Nip11Source {
  index: number;
  nip11Identity?: Nip11Identity | undefined;
  mode: RelayMode;
  behaviour: RelayBehaviour;
}

/** Answers NIP-11 requests (Accept: application/nostr+json) as the relay's mode says; plain text otherwise. */
export function serveNip11(req: IncomingMessage, res: ServerResponse, relay: Nip11Source): void {
  const accept = req.headers.accept ?? '';
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' };
  if (!accept.includes('application/nostr+json')) {
    res.writeHead(200, { 'content-type': 'text/plain', ...cors });
    res.end('Please use a Nostr client to connect.\n');
    return;
  }
  if (relay.mode === 'no-nip11') {
    res.writeHead(404, { 'content-type': 'text/plain', ...cors });
    res.end('not found\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/nostr+json', ...cors });
  if (relay.mode === 'bad-nip11') {
    res.end('{"name": "broken relay", "limitation": {"max_message_length": ');
    return;
  }
  const b = relay.behaviour;
  res.end(
    JSON.stringify(
      nip11Document({
        index: relay.index,
        ...(relay.nip11Identity ? { identity: relay.nip11Identity } : {}),
        mode: relay.mode,
        maxMessageLength: b.maxMessageLength,
        maxSubscriptions: b.maxSubscriptions,
        paymentRequired: b.paymentRequired,
      }),
    ),
  );
}
