import { describe, expect, it } from 'vitest';
import { RelaySeen } from './relay-seen.js';

describe('RelaySeen', () => {
  it('resumes with an overlap and still recognises every re-sent id', () => {
    const seen = new RelaySeen({ capacity: 100, overlapSeconds: 60 });
    for (let t = 1000; t < 1100; t++) seen.add(`id${t}`, t);
    const since = seen.resumeSince(1100);
    expect(since).toBe(1040);
    // Everything the relay may re-send (created_at >= since) is known.
    for (let t = since; t < 1100; t++) expect(seen.has(`id${t}`)).toBe(true);
  });

  it('never resumes below what it still remembers when capacity evicts', () => {
    const seen = new RelaySeen({ capacity: 10, overlapSeconds: 3600 });
    for (let t = 0; t < 50; t++) seen.add(`id${t}`, 1000 + t);
    const since = seen.resumeSince(1050);
    expect(since).toBe(1040);
    for (let t = 40; t < 50; t++) expect(seen.has(`id${t}`)).toBe(true);
    expect(seen.size).toBeLessThanOrEqual(10);
  });

  it('keeps the invariant for out-of-order created_at', () => {
    const seen = new RelaySeen({ capacity: 3, overlapSeconds: 3600 });
    seen.add('late', 2000);
    seen.add('old', 500); // a late-published event with an old timestamp
    seen.add('a', 1500);
    seen.add('b', 1600); // evicts "late" (created_at 2000): floor rises to 2001
    const since = seen.resumeSince(2100);
    expect(since).toBe(2001);
  });
});
