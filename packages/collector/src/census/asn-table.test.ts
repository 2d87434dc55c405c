import { describe, expect, it } from 'vitest';
import { AsnTable, AsnTableError } from './asn-table.js';

// Lines as `@ip-location-db/asn` writes them: inclusive ranges, organisations quoted when they
// hold a comma (RFC 4180), one file per family; here shuffled and mixed to show order is not assumed.
const CSV = [
  '1.0.4.0,1.0.7.255,38803,Gtelecom Pty Ltd',
  '1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc."',
  '2001:200::,2001:200:1b9:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project',
  '1.1.1.0,1.1.1.255,13335,"Cloudflare, Inc."',
  '2001:4:112::,2001:4:112:ffff:ffff:ffff:ffff:ffff,112,',
  '9.9.9.0,9.9.9.255,19281,"The ""Quad"" 9"',
  '',
].join('\n');

describe('AsnTable', () => {
  const table = AsnTable.fromCsv(CSV);

  it('finds the range holding an address, at its edges too', () => {
    expect(table.size).toEqual({ v4: 4, v6: 2 });
    expect(table.lookup('1.0.0.0')).toEqual({ asn: 13335, org: 'Cloudflare, Inc.' });
    expect(table.lookup('1.0.0.255')).toEqual({ asn: 13335, org: 'Cloudflare, Inc.' });
    expect(table.lookup('1.0.5.9')).toEqual({ asn: 38803, org: 'Gtelecom Pty Ltd' });
    expect(table.lookup('9.9.9.9')).toEqual({ asn: 19281, org: 'The "Quad" 9' });
    expect(table.lookup('::ffff:1.1.1.1')).toEqual({ asn: 13335, org: 'Cloudflare, Inc.' });
    expect(table.lookup('2001:200:1b9::1')).toEqual({ asn: 2500, org: 'WIDE Project' });
    expect(table.lookup('2001:4:112::53')).toEqual({ asn: 112, org: null });
  });

  it('finds nothing between ranges, outside them, or for what is no address', () => {
    expect(table.lookup('1.0.1.0')).toBeUndefined();
    expect(table.lookup('0.255.255.255')).toBeUndefined();
    expect(table.lookup('200.0.0.1')).toBeUndefined();
    expect(table.lookup('2001:200:1ba::')).toBeUndefined();
    expect(table.lookup('relay.example')).toBeUndefined();
  });

  it('refuses a malformed line, naming it', () => {
    expect(() => AsnTable.fromCsv('1.0.0.0,1.0.0.255,13335,A\nnot,a,range')).toThrow(AsnTableError);
    expect(() => AsnTable.fromCsv('1.0.0.0,::1,13335,Mixed families')).toThrow(/line 1/);
  });
});
