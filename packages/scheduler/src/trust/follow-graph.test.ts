import { describe, expect, it } from 'vitest';
import { appendTextIds, Int32Builder } from './follow-graph.js';

describe('appendTextIds', () => {
  it('parses the text form of an int4[] into the builder and returns the largest id', () => {
    const into = new Int32Builder();
    expect(appendTextIds('{}', into)).toBe(-1);
    expect(appendTextIds('{7}', into)).toBe(7);
    expect(appendTextIds('{0,22,1999999999,333}', into)).toBe(1_999_999_999);
    expect([...into.done()]).toEqual([7, 0, 22, 1_999_999_999, 333]);
  });

  it('grows past its first capacity without losing ids', () => {
    const into = new Int32Builder();
    const ids = Array.from({ length: 5000 }, (_, i) => i * 3);
    expect(appendTextIds(`{${ids.join(',')}}`, into)).toBe(4999 * 3);
    expect([...into.done()]).toEqual(ids);
  });
});
