import type { NostrEvent } from '@nostr-info/shared/nostr';
import { corruptId, corruptSignature } from './fixtures.js';
import type { CopyState } from './types.js';

/**
 * Every event the network knows, by a small integer index, so per-relay truth sets hold numbers
 * rather than 64-character ids. `events[i]` is the valid body when one is known (else the first
 * invalid body seen for that id).
 */
export class EventRegistry {
  readonly events: NostrEvent[] = [];
  readonly json: string[] = [];
  /** 1 when `events[i]` is a correctly signed event. */
  readonly valid: number[] = [];
  private readonly byId = new Map<string, number>();
  private corpusEnd = 0;

  /** A registry holding a generated corpus (every event valid) at the front. */
  static fromCorpus(corpus: readonly NostrEvent[]): EventRegistry {
    const registry = new EventRegistry();
    for (const ev of corpus) registry.add(ev, true);
    registry.corpusEnd = registry.size;
    return registry;
  }

  /** The number of corpus events at the front (generated, all valid). */
  get corpusSize(): number {
    return this.corpusEnd;
  }

  /** Registers an event body; a valid body replaces an invalid one under the same id. */
  add(ev: NostrEvent, valid: boolean): number {
    const known = this.byId.get(ev.id);
    if (known !== undefined) {
      if (valid && this.valid[known] === 0) {
        this.events[known] = ev;
        this.json[known] = JSON.stringify(ev);
        this.valid[known] = 1;
      }
      return known;
    }
    const index = this.events.length;
    this.events.push(ev);
    this.json.push(JSON.stringify(ev));
    this.valid.push(valid ? 1 : 0);
    this.byId.set(ev.id, index);
    return index;
  }

  indexOf(id: string): number | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.events.length;
  }

  /** Wire JSON of one copy of a registered valid event. */
  copyJson(index: number, state: CopyState): string {
    const ev = this.events[index];
    const json = this.json[index];
    if (!ev || json === undefined) throw new RangeError(`no event ${index}`);
    if (state === 'valid') return json;
    return JSON.stringify(state === 'bad-sig' ? corruptSignature(ev) : corruptId(ev));
  }
}
