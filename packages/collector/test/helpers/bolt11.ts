// Builds syntactically valid bolt11 invoices (bech32 with a correct checksum, zero signature) so
// amount decoding can be tested for every multiplier. The decoder does not check signatures.
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GEN[i] ?? 0;
  }
  return chk;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (const c of hrp) out.push(c.charCodeAt(0) >> 5);
  out.push(0);
  for (const c of hrp) out.push(c.charCodeAt(0) & 31);
  return out;
}

/** An invoice `ln<network><amount>1…` with the given human-readable amount (e.g. `2500u`). */
export function makeInvoice(amount: string, network = 'bc', timestamp = 1_700_000_000): string {
  const hrp = `ln${network}${amount}`;
  const words: number[] = [];
  for (let i = 6; i >= 0; i--) words.push(Math.floor(timestamp / 32 ** i) % 32);
  // Tagged field `p` (payment hash, 52 words) so the invoice looks like a real one.
  // 52 words carry 256 bits plus 4 zero padding bits, so the last word must be 0.
  words.push(1, 1, 20, ...Array.from({ length: 52 }, (_, i) => (i < 51 ? (i * 7) % 32 : 0)));
  words.push(...Array.from({ length: 104 }, () => 0));
  const checksumInput = [...hrpExpand(hrp), ...words, 0, 0, 0, 0, 0, 0];
  const mod = polymod(checksumInput) ^ 1;
  const checksum = Array.from({ length: 6 }, (_, i) => (mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...words, ...checksum].map((w) => CHARSET[w]).join('')}`;
}
