import type { BackfillProgress } from '@nostr-info/collector/backfill';

/** Least time between two redraws: a terminal needs no more, and each redraw costs a write. */
const REDRAW_MS = 250;

/**
 * One line on a terminal that a long run rewrites in place (carriage return, clear to end of
 * line). Not a terminal (a log file, a pipe): nothing is drawn, the log lines say it all.
 */
export function progressLine(stream: NodeJS.WriteStream = process.stderr) {
  let last = 0;
  let drawn = false;
  return {
    update(p: BackfillProgress, force = false): void {
      if (!stream.isTTY) return;
      const now = Date.now();
      if (!force && now - last < REDRAW_MS) return;
      last = now;
      drawn = true;
      const reached =
        p.reachedAt === null
          ? ''
          : `, ${p.relayUrl} at ${new Date(p.reachedAt * 1000).toISOString().slice(0, 10)}`;
      stream.write(
        `\r\x1b[Kbackfill: ${p.relaysFinished}/${p.relays} relays, ${p.pages} pages, ${p.events} events (${p.rejected} rejected), ${p.keysInserted} keys added, ${p.keysMoved} moved back${reached}`,
      );
    },
    /** Ends the line (once), so what follows starts on a line of its own. */
    end(): void {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
