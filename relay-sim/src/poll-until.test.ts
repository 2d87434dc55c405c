import { describe, expect, it } from 'vitest';
import { pollUntil } from './poll-until.js';

describe('pollUntil', () => {
  it('resolves once the condition holds', async () => {
    let calls = 0;
    await pollUntil(() => ++calls >= 3, 1000, 'three calls', 1);
    expect(calls).toBe(3);
  });

  it('rejects, naming what it waited for, after the timeout', async () => {
    await expect(pollUntil(() => false, 20, 'nothing', 5)).rejects.toThrow(
      'relay-sim: timed out waiting for nothing',
    );
  });
});
