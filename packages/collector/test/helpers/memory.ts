import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection on demand: `globalThis.gc` when the process runs with `--expose-gc`,
 * else the same function taken from a fresh context after turning the flag on at run time
 * (V8 installs `gc` in contexts created after `--expose-gc` is set).
 */
function forcedGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  if (typeof gc !== 'function') throw new Error('could not expose the garbage collector');
  return gc as () => void;
}

/**
 * Live memory after full collections: the JS heap plus ArrayBuffers (every Node `Buffer`, so ws
 * frames, socket read and write buffers and the like, which `heapUsed` does not include).
 * Several passes with a pause between them: an ArrayBuffer's memory is released after the
 * collection that finds it dead, and sockets settle meanwhile.
 */
export async function settledMemory(passes = 4): Promise<number> {
  const gc = forcedGc();
  for (let i = 0; i < passes; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  return liveMemory();
}

/** The same measure without collecting first (includes garbage not yet collected). */
export function liveMemory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
