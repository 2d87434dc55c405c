import { describe, expect, it } from 'vitest';
import { waitUntil } from './wait-until.js';

describe('waitUntil', () => {
  it('resolves true at once when the condition already holds', async () => {
    let checks = 0;
    const held = await waitUntil(
      () => {
        checks += 1;
        return true;
      },
      { timeoutMs: 1000, intervalMs: 10 },
    );
    expect(held).toBe(true);
    expect(checks).toBe(1);
  });

  it('looks again every interval until the condition holds', async () => {
    let pending = 3;
    const started = Date.now();
    const held = await waitUntil(() => --pending <= 0, { timeoutMs: 5000, intervalMs: 20 });
    expect(held).toBe(true);
    expect(pending).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('gives up after the timeout and says the condition never held', async () => {
    const started = Date.now();
    const held = await waitUntil(() => false, { timeoutMs: 100, intervalMs: 20 });
    expect(held).toBe(false);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(95);
    expect(waited).toBeLessThan(2000);
  });
});
