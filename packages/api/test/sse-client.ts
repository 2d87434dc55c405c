/** One parsed Server-Sent Events frame. */
export interface SseFrame {
  event: string;
  data: string;
  retry?: number;
}

/** A minimal SSE reader over fetch, for tests: collects frames and waits for the ones it needs. */
export async function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, {
    headers: { Accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const frames: SseFrame[] = [];
  let ended = false;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of waiters) w();
  };
  const pump = async () => {
    if (!res.body || res.status !== 200) {
      ended = true;
      return;
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const frame: SseFrame = { event: 'message', data: '' };
          let hasField = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const [field, ...rest] = line.split(':');
            const value = rest.join(':').replace(/^ /, '');
            if (field === 'event') frame.event = value;
            else if (field === 'data') frame.data += value;
            else if (field === 'retry') frame.retry = Number(value);
            else continue;
            hasField = true;
          }
          if (hasField) frames.push(frame);
          cut = buffer.indexOf('\n\n');
        }
        notify();
      }
    } catch {
      // aborted by the test
    }
    ended = true;
    notify();
  };
  const pumping = pump();
  return {
    res,
    frames,
    get ended() {
      return ended;
    },
    /** Resolves with the first frame matching `test`, or rejects after `timeoutMs`. */
    waitFor(test: (f: SseFrame) => boolean, timeoutMs = 5000): Promise<SseFrame> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = frames.find(test);
          if (found) {
            cleanup();
            resolve(found);
          } else if (ended) {
            cleanup();
            reject(new Error(`stream ended without the frame; got ${JSON.stringify(frames)}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out; got ${JSON.stringify(frames)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    /** Resolves when the server ends the stream. */
    async untilEnd(timeoutMs = 5000): Promise<void> {
      await Promise.race([
        pumping,
        new Promise((_, reject) => setTimeout(() => reject(new Error('stream did not end')), timeoutMs)),
      ]);
    },
    close() {
      controller.abort();
    },
  };
}
