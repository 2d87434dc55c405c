import { readFileSync } from 'node:fs';

/**
 * CPU time (µs, user + system, every thread) of another process from Linux /proc; NaN elsewhere.
 * Clock ticks are 10 ms on Linux (USER_HZ = 100).
 */
export function processCpuMicros(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return Number.NaN;
  }
}
