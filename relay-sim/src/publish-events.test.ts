import { describe, expect, it } from 'vitest';
import { corruptId, corruptSignature, makeEvent } from './fixtures.js';
import { copyStateOf, publishEvents } from './publish-events.js';
import { EventRegistry } from './registry.js';
import type { CopyState } from './types.js';

const ev = makeEvent({ kind: 1, content: 'hello', created_at: 1_700_000_000 });

function relay() {
  const copies = new Map<number, { state: CopyState; json: string }>();
  return {
    copies,
    accept(index: number, state: CopyState, json: string): boolean {
      if (copies.has(index)) return false;
      copies.set(index, { state, json });
      return true;
    },
  };
}

describe('copyStateOf', () => {
  it('tells a valid event from a broken signature and a broken id', () => {
    expect(copyStateOf(ev)).toBe('valid');
    expect(copyStateOf(corruptSignature(ev))).toBe('bad-sig');
    expect(copyStateOf(corruptId(ev))).toBe('bad-id');
    expect(copyStateOf({ ...ev, tags: 'x' as unknown as string[][] })).toBe('bad-id');
  });
});

describe('publishEvents', () => {
  it('gives each event to the chosen relays as it is, invalid copies included', () => {
    const registry = new EventRegistry();
    const relays = [relay(), relay(), relay()];
    expect(publishEvents(registry, relays, [corruptSignature(ev)], [1])).toBe(1);
    expect(publishEvents(registry, relays, [ev])).toBe(2);
    const index = registry.indexOf(ev.id) ?? -1;
    expect(relays.map((r) => r.copies.get(index)?.state)).toEqual(['valid', 'bad-sig', 'valid']);
    expect(relays[1]?.copies.get(index)?.json).toBe(JSON.stringify(corruptSignature(ev)));
    // The valid body is what the network knows under that id.
    expect(registry.valid[index]).toBe(1);
    expect(registry.events[index]).toEqual(ev);
  });

  it('skips relay indexes that do not exist', () => {
    const registry = new EventRegistry();
    expect(publishEvents(registry, [relay()], [ev], [0, 5])).toBe(1);
  });
});
