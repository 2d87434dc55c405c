import type { IpcReply, IpcRequest } from './ipc-protocol.js';
import type { SimNetwork } from './sim-network.js';

function reply(msg: IpcReply): void {
  process.send?.(msg);
}

async function run(net: SimNetwork, req: IpcRequest, stop: () => Promise<void>): Promise<unknown> {
  switch (req.cmd) {
    case 'truth':
      return net.truth(req.options);
    case 'pause':
      return net.pause();
    case 'resume':
      return net.resume();
    case 'stats':
      return net.stats();
    case 'modes':
      return net.modes();
    case 'emit':
      return net.emit(req.n);
    case 'setMode':
      return net.setMode(req.relay, req.mode);
    case 'publish':
      return net.publish(req.events, req.relays);
    case 'waitForSubscribers':
      return net.waitForSubscribers(req.n, req.timeoutMs);
    case 'drain':
      return net.drain(req.timeoutMs);
    case 'stop':
      setImmediate(() => void stop());
      return undefined;
  }
}

/** Answers the parent's commands; exits when the parent goes away. */
export function serveIpc(net: SimNetwork, stop: () => Promise<void>): void {
  process.on('message', (raw: unknown) => {
    const req = raw as IpcRequest;
    run(net, req, stop).then(
      (result) => reply({ type: 'reply', id: req.id, ok: true, result: result ?? null }),
      (err: unknown) => reply({ type: 'reply', id: req.id, ok: false, error: String(err) }),
    );
  });
  process.on('disconnect', () => void stop());
  reply({ type: 'ready', urls: net.urls });
}
