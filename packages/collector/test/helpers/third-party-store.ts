import { createRequire } from 'node:module';
import { type NostrEvent, startThirdPartyRelay, type ThirdPartyRelay } from '@nostr-info/relay-sim';

/** The part of `@nostr-relay/event-repository-sqlite`'s repository a test writes through. */
interface EventStore {
  upsert(event: NostrEvent): Promise<{ isDuplicate: boolean }>;
}

type RepositoryClass = { prototype: { init(this: EventStore): Promise<void> } };

/**
 * The repository class exactly as relay-sim loads it (the `@nostr-relay/*` packages are relay-sim
 * dependencies, not the collector's): one module instance, so its prototype is the one the relay
 * started by `startThirdPartyRelay` uses.
 */
function repositoryClass(): RepositoryClass {
  const relaySim = createRequire(import.meta.url).resolve('@nostr-info/relay-sim');
  const mod = createRequire(relaySim)('@nostr-relay/event-repository-sqlite') as {
    EventRepositorySqlite: RepositoryClass;
  };
  return mod.EventRepositorySqlite;
}

/**
 * `startThirdPartyRelay()` unchanged, plus direct access to its event repository: `store` writes
 * an event straight into it — no id or signature check, which the relay only applies to events
 * published over the socket — so the relay serves it on the next REQ that matches (stored events
 * only; the relay's live broadcast is never reached this way).
 *
 * The repository is captured while the relay starts, by wrapping the class's `init` (which
 * `startThirdPartyRelay` calls once) for that moment only.
 */
export async function startThirdPartyRelayWithStore(): Promise<{
  relay: ThirdPartyRelay;
  store(event: NostrEvent): Promise<void>;
}> {
  const proto = repositoryClass().prototype;
  const init = proto.init;
  const captured: EventStore[] = [];
  proto.init = function (this: EventStore) {
    captured.push(this);
    return init.call(this);
  };
  let relay: ThirdPartyRelay;
  try {
    relay = await startThirdPartyRelay();
  } finally {
    proto.init = init;
  }
  const repository = captured[0];
  if (captured.length !== 1 || !repository)
    throw new Error(`expected the relay to open one event repository, saw ${captured.length}`);
  return {
    relay,
    async store(event) {
      const { isDuplicate } = await repository.upsert(event);
      if (isDuplicate) throw new Error(`event ${event.id} was already stored`);
    },
  };
}
