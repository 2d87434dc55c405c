import WebSocket from 'ws';

/**
 * CLOSEs the subscription and the socket, and lets the socket's existing `message` listeners keep
 * running until the relay's close frame arrives (or `graceMs` passes), so frames already on the
 * wire are still read. Then the socket is torn down. Resolves once it is.
 *
 * `read` false leaves a paused socket paused (the collector is holding reading back): under
 * overload, reading every socket's backlog at once while stopping would pile up without bound.
 * What is left unread is re-sent to whoever resumes the relay next (the checkpoint's look-back).
 */
export function closeGracefully(ws: WebSocket, subId: string, graceMs: number, read = true): Promise<void> {
  return new Promise<void>((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      resolve();
    };
    const timer = setTimeout(finish, graceMs);
    ws.removeAllListeners('close');
    ws.removeAllListeners('error');
    ws.on('error', finish);
    ws.on('close', finish);
    if (ws.readyState !== WebSocket.OPEN) {
      finish();
      return;
    }
    if (read) ws.resume();
    try {
      ws.send(JSON.stringify(['CLOSE', subId]));
      ws.close(1000);
    } catch {
      finish();
    }
  });
}
