import type { NostrEvent } from '@nostr-info/shared/nostr';
import type { EventTally } from './tally.js';
import { clientOf } from './truth-derive.js';
import type { ClientTruth } from './truth-types.js';

/** What `ClientTally` counts. */
export interface ClientFigures {
  clients: Record<string, ClientTruth>;
  withoutClient: number;
}

/** Events and distinct users per NIP-89 client (see `clientOf`), and events without a client. */
export class ClientTally implements EventTally<ClientFigures> {
  private readonly users = new Map<string, Set<string>>();
  private readonly events = new Map<string, number>();
  private without = 0;

  add(ev: NostrEvent): void {
    const client = clientOf(ev);
    if (client === undefined) {
      this.without++;
      return;
    }
    this.events.set(client, (this.events.get(client) ?? 0) + 1);
    let users = this.users.get(client);
    if (!users) {
      users = new Set();
      this.users.set(client, users);
    }
    users.add(ev.pubkey);
  }

  result(): ClientFigures {
    const clients: Record<string, ClientTruth> = {};
    for (const [name, events] of this.events)
      clients[name] = { events, users: this.users.get(name)?.size ?? 0 };
    return { clients, withoutClient: this.without };
  }
}
