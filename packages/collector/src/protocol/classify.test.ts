import { describe, expect, it } from 'vitest';
import { classifyReason } from './classify.js';

describe('classifyReason', () => {
  it('classes standard prefixes', () => {
    expect(classifyReason('auth-required: we only serve members')).toBe('auth-required');
    expect(classifyReason('rate-limited: slow down')).toBe('rate-limited');
    expect(classifyReason('restricted: paid relay')).toBe('restricted');
    expect(classifyReason('blocked: you are banned')).toBe('blocked');
    expect(classifyReason('invalid: bad filter')).toBe('invalid');
    expect(classifyReason('error: internal')).toBe('error');
    expect(classifyReason('ERROR: shouting')).toBe('error');
  });

  it('keeps free text bounded', () => {
    expect(classifyReason('')).toBe('none');
    expect(classifyReason('hello there: friend')).toBe('other');
    expect(classifyReason('Auth required to read')).toBe('auth-required');
  });
});
