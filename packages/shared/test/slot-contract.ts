import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import type { Cache } from '../src/cache/cache.js';

/**
 * The slot semaphore part of the cache contract (`acquireSlot`, `renewSlots`, `releaseSlot`), run
 * inside each backend's `describe` with its two handles.
 */
export function slotContract(handles: () => { a: Cache; b: Cache }): void {
  it('slots: never more than the limit over both handles; release and lapse give them back', async () => {
    const { a, b } = handles();
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).acquireSlot('slots', `h${i}`, 3, 30_000)),
    );
    const holders = claims.flatMap((c, i) => (c.acquired ? [`h${i}`] : []));
    expect(holders).toHaveLength(3);
    for (const claim of claims) expect(claim.held).toBeLessThanOrEqual(3);
    // A holder asking again keeps its slot; a newcomer is refused until one is released.
    const [first = '', second = ''] = holders;
    expect(await b.acquireSlot('slots', first, 3, 30_000)).toEqual({ acquired: true, held: 3 });
    expect((await a.acquireSlot('slots', 'late', 3, 30_000)).acquired).toBe(false);
    await b.releaseSlot('slots', second);
    expect(await a.acquireSlot('slots', 'late', 3, 30_000)).toEqual({ acquired: true, held: 3 });
    for (const holder of [...holders, 'late']) await a.releaseSlot('slots', holder);
    expect((await b.acquireSlot('slots', 'alone', 3, 30_000)).held).toBe(1);
    await b.releaseSlot('slots', 'alone');
  });

  it('slots lapse unless renewed, and renewing re-takes a lapsed slot', async () => {
    const { a, b } = handles();
    expect((await a.acquireSlot('lapse', 'kept', 2, 400)).acquired).toBe(true);
    expect((await b.acquireSlot('lapse', 'dead', 2, 400)).acquired).toBe(true);
    expect((await a.acquireSlot('lapse', 'new', 2, 400)).acquired).toBe(false);
    await a.renewSlots('lapse', ['kept'], 5000);
    await sleep(700);
    // `dead` (never renewed) lapsed; `kept` still counts.
    expect(await b.acquireSlot('lapse', 'new', 2, 5000)).toEqual({ acquired: true, held: 2 });
    expect((await b.acquireSlot('lapse', 'more', 2, 5000)).acquired).toBe(false);
    await b.renewSlots('lapse', ['dead'], 5000);
    expect((await a.acquireSlot('lapse', 'dead', 2, 5000)).held).toBe(3);
    for (const holder of ['kept', 'new', 'dead']) await a.releaseSlot('lapse', holder);
  });
}
