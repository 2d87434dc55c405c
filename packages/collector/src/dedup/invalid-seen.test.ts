import { describe, expect, it } from 'vitest';
import { InvalidSeen } from './invalid-seen.js';

describe('InvalidSeen', () => {
  it('charges each bad copy once and forgets the oldest first', () => {
    const seen = new InvalidSeen(100);
    const keys = Array.from({ length: 1000 }, (_, i) => `${i.toString(16).padStart(64, '0')}:sig${i}`);
    for (const [i, key] of keys.entries()) {
      expect(seen.first(key)).toBe(true);
      expect(seen.first(key)).toBe(false);
      // The newest 100 are remembered, older ones forgotten (so charged again).
      if (i >= 150) expect(seen.first(keys[i - 120] ?? '')).toBe(true);
      if (i % 50 === 0)
        for (let k = Math.max(0, i - 40); k <= i; k++) expect(seen.first(keys[k] ?? '')).toBe(false);
    }
    expect(seen.size).toBe(100);
  });

  it('hands its keys to the next owner, and still reads raw keys from older replicas', () => {
    const a = new InvalidSeen(50);
    const keys = Array.from({ length: 80 }, (_, i) => `bad-${i}`);
    for (const key of keys) a.first(key);
    const exported = a.export();
    expect(exported).toHaveLength(50);
    const b = new InvalidSeen(50);
    b.import(exported);
    for (const key of keys.slice(-50)) expect(b.first(key)).toBe(false);
    expect(b.first('bad-0')).toBe(true);
    const c = new InvalidSeen(50);
    c.import(['raw-key', 42 as unknown as string]);
    expect(c.first('raw-key')).toBe(false);
    expect(c.size).toBe(1);
  });
});
