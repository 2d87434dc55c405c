import { isIPv4, isIPv6 } from 'node:net';

/** An address as a number: IPv4 as an unsigned 32-bit integer, IPv6 as a 128-bit bigint. */
export type IpNumber = { family: 4; value: number } | { family: 6; value: bigint };

/** The dotted IPv4 address as an unsigned 32-bit integer (the caller checked it with `isIPv4`). */
function v4Number(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

/** The IPv6 address as a 128-bit bigint: `::` expanded, an embedded dotted IPv4 tail read as two groups. */
function v6Number(address: string): bigint {
  let text = address.split('%')[0] ?? address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = v4Number(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((n, g) => (n << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

/**
 * Parses an address; undefined for anything else. An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`)
 * is its IPv4 address: the host behind it is an IPv4 host, and the databases list it as one.
 */
export function ipNumber(address: string): IpNumber | undefined {
  if (isIPv4(address)) return { family: 4, value: v4Number(address) };
  if (!isIPv6(address)) return undefined;
  const value = v6Number(address);
  if (value >> 32n === 0xffffn) return { family: 4, value: Number(value & 0xffffffffn) };
  return { family: 6, value };
}
