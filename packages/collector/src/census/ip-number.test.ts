import { describe, expect, it } from 'vitest';
import { ipNumber } from './ip-number.js';

describe('ipNumber', () => {
  it('reads IPv4 addresses as unsigned 32-bit numbers', () => {
    expect(ipNumber('0.0.0.0')).toEqual({ family: 4, value: 0 });
    expect(ipNumber('1.0.0.255')).toEqual({ family: 4, value: 16777471 });
    expect(ipNumber('255.255.255.255')).toEqual({ family: 4, value: 4294967295 });
  });

  it('reads IPv6 addresses, compressed or not, as 128-bit numbers', () => {
    expect(ipNumber('::')).toEqual({ family: 6, value: 0n });
    expect(ipNumber('::1')).toEqual({ family: 6, value: 1n });
    // The figure the databases' numeric CSVs give for 2001:200::.
    expect(ipNumber('2001:200::')).toEqual({ family: 6, value: 42540528726795050063891204319802818560n });
    expect(ipNumber('2001:0200:0000:0000:0000:0000:0000:0000')).toEqual(ipNumber('2001:200::'));
    expect(ipNumber('2001:db8::ff00:42:8329')).toEqual({
      family: 6,
      value: (0x20010db8n << 96n) | (0xff00n << 32n) | (0x42n << 16n) | 0x8329n,
    });
    expect(ipNumber('64:ff9b::1.2.3.4')).toEqual({ family: 6, value: (0x64ff9bn << 96n) | 0x01020304n });
  });

  it('takes an IPv4-mapped IPv6 address for its IPv4 address', () => {
    expect(ipNumber('::ffff:1.0.0.255')).toEqual({ family: 4, value: 16777471 });
  });

  it('refuses what is not an address', () => {
    expect(ipNumber('relay.example.com')).toBeUndefined();
    expect(ipNumber('1.2.3')).toBeUndefined();
    expect(ipNumber('')).toBeUndefined();
  });
});
