/** The 32-bit value of 8 lower-case hex digits of `s` from `at`, or -1 when they are not that. */
export function hexWord(s: string, at: number): number {
  let v = 0;
  for (let i = at; i < at + 8; i++) {
    const c = s.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Char codes of the two lower-case hex digits of every byte value. */
const HEX_HI = new Uint8Array(256);
const HEX_LO = new Uint8Array(256);
for (let v = 0; v < 256; v++) {
  const s = v.toString(16).padStart(2, '0');
  HEX_HI[v] = s.charCodeAt(0);
  HEX_LO[v] = s.charCodeAt(1);
}

/** True when `hex` is exactly the lower-case hex of `bytes[base, base + length)`. */
export function hexEquals(bytes: Uint8Array, base: number, length: number, hex: string): boolean {
  if (hex.length !== length * 2) return false;
  for (let b = 0; b < length; b++) {
    const v = bytes[base + b] ?? 0;
    if (hex.charCodeAt(2 * b) !== HEX_HI[v] || hex.charCodeAt(2 * b + 1) !== HEX_LO[v]) return false;
  }
  return true;
}
