/** A relay whose listener can be taken down and brought back (`SimRelay`). */
export interface Switchable {
  takeDown(): Promise<void>;
  bringUp(): Promise<void>;
}

/** How a relay flaps: `cycles` times down for `downMs`, then up for `upMs`. */
export interface FlapOptions {
  downMs: number;
  upMs: number;
  cycles: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Flaps a relay: down and up `cycles` times, ending up. Resolves once it is back for good. */
export async function flapRelay(relay: Switchable, { downMs, upMs, cycles }: FlapOptions): Promise<void> {
  for (let i = 0; i < cycles; i++) {
    await relay.takeDown();
    await sleep(downMs);
    await relay.bringUp();
    if (i < cycles - 1) await sleep(upMs);
  }
}
