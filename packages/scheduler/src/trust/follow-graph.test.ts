import { describe, expect, it } from 'vitest';
import { appendTextIds, Int32Builder } from './follow-graph.js';
import { trustedChanges } from './run-trust.js';

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

describe('trustedChanges', () => {
  it('puts the keys that enter, drops the keys that leave, and leaves the others alone', () => {
    const previous = Float64Array.from([0, 0.5, 0, 0.1, 0.002, 0.1, 0.003]);
    const scores = Float64Array.from([0, 0.4, 0.2, 0.1005, 0.0009, 0.199]);
    const changes = trustedChanges(scores, previous, 0.001);
    // 1, 3, 5: stay; 2: enters; 4: leaves; 6: gone from the graph.
    expect([...changes.put.ids]).toEqual([2]);
    expect([...changes.put.scores]).toEqual([0.2]);
    expect([...changes.drop]).toEqual([4, 6]);
    expect([...changes.trusted.ids]).toEqual([1, 2, 3, 5]);
    expect([...changes.trusted.scores]).toEqual([0.4, 0.2, 0.1005, 0.199]);
  });

  it('puts every trusted key when nothing was written before', () => {
    const changes = trustedChanges(Float64Array.from([0, 0.5, 0.0001, 0.3]), null, 0.001);
    expect([...changes.put.ids]).toEqual([1, 3]);
    expect([...changes.drop]).toEqual([]);
  });
});
