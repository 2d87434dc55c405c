import { describe, expect, it } from 'vitest';
import { classifyReason } from '../protocol/classify.js';
import { restrictionOf } from './restriction.js';

const of = (text: string) => restrictionOf(classifyReason(text), text);

describe('restrictionOf', () => {
  it('reads auth-required and payment demands', () => {
    expect(of('auth-required: we only serve members')).toBe('auth_required');
    expect(of('Auth required to read')).toBe('auth_required');
    expect(of('payment-required: 1000 sats a month')).toBe('payment_required');
    expect(of('restricted: not a paid member')).toBe('payment_required');
    expect(of('restricted: pay the admission invoice first')).toBe('payment_required');
  });

  it('leaves other refusals alone', () => {
    expect(of('restricted: you are not on the whitelist')).toBeUndefined();
    expect(of('rate-limited: slow down')).toBeUndefined();
    expect(of('blocked: payment of attention required')).toBeUndefined();
    expect(of('')).toBeUndefined();
  });
});
