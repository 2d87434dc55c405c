import { readFile } from 'node:fs/promises';
import { ipNumber } from './ip-number.js';

/** The autonomous system an address is announced from. */
export interface AsnRecord {
  asn: number;
  /** The AS's organisation as the database names it; null when it names none. */
  org: string | null;
}

/** Raised when an ASN table cannot be read or holds a malformed line. */
export class AsnTableError extends Error {
  override readonly name = 'AsnTableError';
}

/** One family's ranges, sorted by start, in columns (half a million ranges stay a few MB). */
interface Ranges<N> {
  starts: N[] | Uint32Array;
  ends: N[] | Uint32Array;
  asns: Uint32Array;
  orgs: Uint32Array;
}

/** Index of the last range starting at or before `value`, or -1. */
function lastStartAtOrBefore<N extends number | bigint>(starts: ArrayLike<N>, value: N): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((starts[mid] as N) <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The organisation field: plain, or quoted with `""` for a quote (RFC 4180). */
function orgField(text: string): string {
  const t = text.trim();
  return t.startsWith('"') && t.endsWith('"') && t.length >= 2 ? t.slice(1, -1).replaceAll('""', '"') : t;
}

/** The columns ordered by range start (the package's files already are; others may not be). */
function sortedColumns<N>(
  cols: { starts: N[]; ends: N[]; asns: number[]; orgs: number[] },
  compare: (a: N, b: N) => number,
  pack: (xs: N[]) => N[] | Uint32Array,
): Ranges<N> {
  const { starts, ends, asns, orgs } = cols;
  let sorted = true;
  for (let i = 1; i < starts.length && sorted; i++) sorted = compare(starts[i - 1] as N, starts[i] as N) <= 0;
  const order = starts.map((_, i) => i);
  if (!sorted) order.sort((a, b) => compare(starts[a] as N, starts[b] as N));
  const pick = <T>(xs: T[]): T[] => (sorted ? xs : order.map((i) => xs[i] as T));
  return {
    starts: pack(pick(starts)),
    ends: pack(pick(ends)),
    asns: Uint32Array.from(pick(asns)),
    orgs: Uint32Array.from(pick(orgs)),
  };
}

/**
 * An IP → ASN table read from the `start,end,asn,organisation` CSV that `@ip-location-db/asn`
 * ships (inclusive ranges of addresses, one family per file or both in one), held as sorted
 * columns and searched by bisection.
 */
export class AsnTable {
  private readonly v4: Ranges<number>;
  private readonly v6: Ranges<bigint>;
  private readonly orgNames: string[];

  private constructor(v4: Ranges<number>, v6: Ranges<bigint>, orgNames: string[]) {
    this.v4 = v4;
    this.v6 = v6;
    this.orgNames = orgNames;
  }

  /** Ranges announced, by family. */
  get size(): { v4: number; v6: number } {
    return { v4: this.v4.asns.length, v6: this.v6.asns.length };
  }

  /**
   * Builds a table from CSV texts (blank lines skipped), cutting fields with `indexOf` so half a
   * million lines make no intermediate arrays.
   */
  static fromCsv(...texts: string[]): AsnTable {
    const orgIds = new Map<string, number>([['', 0]]);
    const orgNames: string[] = [''];
    const v4 = { starts: [] as number[], ends: [] as number[], asns: [] as number[], orgs: [] as number[] };
    const v6 = { starts: [] as bigint[], ends: [] as bigint[], asns: [] as number[], orgs: [] as number[] };
    for (const text of texts) {
      let lineNo = 0;
      for (let at = 0; at < text.length; ) {
        const eol = text.indexOf('\n', at);
        const line = text.slice(at, eol < 0 ? text.length : eol);
        at = eol < 0 ? text.length : eol + 1;
        lineNo++;
        if (line.trim() === '') continue;
        const c1 = line.indexOf(',');
        const c2 = line.indexOf(',', c1 + 1);
        const c3 = line.indexOf(',', c2 + 1);
        const from = c1 > 0 ? ipNumber(line.slice(0, c1).trim()) : undefined;
        const to = c2 > c1 ? ipNumber(line.slice(c1 + 1, c2).trim()) : undefined;
        const asn = Number(line.slice(c2 + 1, c3 < 0 ? line.length : c3));
        if (
          !from ||
          !to ||
          from.family !== to.family ||
          !Number.isInteger(asn) ||
          asn < 0 ||
          asn > 0xffffffff
        ) {
          throw new AsnTableError(
            `line ${lineNo}: not a "start,end,asn,organisation" range: ${line.slice(0, 120)}`,
          );
        }
        const org = c3 < 0 ? '' : orgField(line.slice(c3 + 1));
        let orgId = orgIds.get(org);
        if (orgId === undefined) {
          orgId = orgNames.push(org) - 1;
          orgIds.set(org, orgId);
        }
        const into = from.family === 4 ? v4 : v6;
        (into.starts as (number | bigint)[]).push(from.value);
        (into.ends as (number | bigint)[]).push(to.value);
        into.asns.push(asn);
        into.orgs.push(orgId);
      }
    }
    return new AsnTable(
      sortedColumns(
        v4,
        (a, b) => a - b,
        (xs) => Uint32Array.from(xs),
      ),
      sortedColumns(
        v6,
        (a, b) => (a < b ? -1 : a > b ? 1 : 0),
        (xs) => xs,
      ),
      orgNames,
    );
  }

  /** Reads the CSV files (e.g. the IPv4 and the IPv6 file of the package). */
  static async load(paths: readonly string[]): Promise<AsnTable> {
    const texts = await Promise.all(
      paths.map((p) =>
        readFile(p, 'utf8').catch((err: unknown) => {
          throw new AsnTableError(`cannot read ${p}: ${(err as Error).message}`, { cause: err });
        }),
      ),
    );
    return AsnTable.fromCsv(...texts);
  }

  /** The AS announcing `address`; undefined when no range holds it (or it is no address). */
  lookup(address: string): AsnRecord | undefined {
    const ip = ipNumber(address);
    if (!ip) return undefined;
    return ip.family === 4 ? this.find(this.v4, ip.value) : this.find(this.v6, ip.value);
  }

  private find<N extends number | bigint>(ranges: Ranges<N>, value: N): AsnRecord | undefined {
    const i = lastStartAtOrBefore(ranges.starts as ArrayLike<N>, value);
    if (i < 0 || (ranges.ends[i] as N) < value) return undefined;
    const asn = ranges.asns[i] ?? 0;
    const org = this.orgNames[ranges.orgs[i] ?? 0] ?? '';
    return { asn, org: org === '' ? null : org };
  }
}
