/**
 * Number and time formatting. Rounded forms ("1.4k") are for the eye only: every place that
 * shows one also carries the exact value (see `figure.ts`). English digits and separators
 * throughout, as the page is in English.
 */

const exactFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** The exact value with thousands separators: 1412 → "1,412", 0.5 → "0.5". */
export function formatExact(value: number): string {
  return exactFormat.format(value);
}

const SUFFIXES: readonly [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/**
 * A short form from 1,000 on: 1412 → "1.4k", 12_345 → "12.3k", 123_456 → "123k",
 * 1_000_000 → "1M"; below 1,000 the exact value. A value that rounds up to the next unit is
 * shown in it (999_960 → "1M", not "1000k").
 */
export function formatCompact(value: number): string {
  const abs = Math.abs(value);
  if (abs < 1000) return formatExact(value);
  for (let i = 0; i < SUFFIXES.length; i++) {
    const [unit, suffix] = SUFFIXES[i] as [number, string];
    if (abs < unit) continue;
    const scaled = value / unit;
    const digits = Math.abs(scaled) < 100 ? 1 : 0;
    const rounded = Number(scaled.toFixed(digits));
    // 999.96k rounds to 1000k: show it in the next unit up instead.
    const bigger = SUFFIXES[i - 1];
    if (Math.abs(rounded) >= 1000 && bigger) return `${Number((value / bigger[0]).toFixed(1))}${bigger[1]}`;
    return `${rounded}${suffix}`;
  }
  return formatExact(value);
}

/** True when `formatCompact` shows something other than the exact value. */
export function isRounded(value: number): boolean {
  return formatCompact(value) !== formatExact(value);
}

/** A percentage with up to two decimals: 12.3456 → "12.35 %". */
export function formatPct(value: number): string {
  return `${exactFormat.format(value)} %`;
}

/** Milliseconds, whole below 10 s, else seconds: 250 → "250 ms", 12_500 → "12.5 s". */
export function formatMs(value: number): string {
  if (value < 10_000) return `${Math.round(value)} ms`;
  return `${exactFormat.format(Math.round(value / 100) / 10)} s`;
}

/** 95 → "1 min 35 s", 7,260 → "2 h 1 min", 200,000 → "2 d 7 h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const [d, hr, min] = [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60)];
  if (d > 0) return `${d} d ${hr} h`;
  if (hr > 0) return `${hr} h ${min} min`;
  if (min > 0) return `${min} min ${s % 60} s`;
  return `${s} s`;
}

/** "just now", "3 min ago", "2 h ago", "5 days ago" (coarse, for a label next to a timestamp). */
export function formatAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return 'unknown';
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** A timestamp in the reader's time zone, to the minute: "2025-05-11 14:05". */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
