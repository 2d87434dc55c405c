/**
 * How many EVENT frames per second the simulator pushes per core from its pre-signed corpus.
 * The network runs in this process; a child process subscribes to every relay and counts frames,
 * so the figure is the simulator's own CPU time: frames / (user + system seconds).
 *
 *   pnpm --filter @nostr-info/relay-sim bench [-- --relays 240 --rate 8000 --seconds 10]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { startSimNetwork } from '../src/sim-network.js';

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function consumer(urls: string[]): Promise<void> {
  let frames = 0;
  for (const url of urls) {
    const ws = new WebSocket(url);
    ws.on('open', () =>
      ws.send(JSON.stringify(['REQ', 'bench', { kinds: [0, 1, 3, 7, 9735, 30023, 10002] }])),
    );
    ws.on('message', () => {
      frames++;
    });
    ws.on('error', () => {});
  }
  process.on('message', (m) => {
    if (m === 'count') process.send?.(frames);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      consumer: { type: 'string' },
      relays: { type: 'string', default: '240' },
      rate: { type: 'string', default: '8000' },
      copies: { type: 'string', default: '6' },
      corpus: { type: 'string', default: '20000' },
      seconds: { type: 'string', default: '10' },
      mode: { type: 'string', default: 'stream' },
    },
  });
  if (values.consumer) return consumer(values.consumer.split(','));
  const relays = Number(values.relays);
  const flood = values.mode === 'flood';
  const t0 = performance.now();
  const net = await startSimNetwork({
    relays,
    rate: flood ? 0 : Number(values.rate),
    copies: Number(values.copies),
    multiRelayShare: 1,
    corpusSize: Number(values.corpus),
    autoStart: false,
    ...(flood ? { modes: Array.from({ length: relays }, () => 'flood' as const) } : {}),
  });
  print(
    `corpus of ${values.corpus} signed events ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const child = fork(fileURLToPath(import.meta.url), ['--consumer', net.urls.join(',')], {
    execArgv: ['--import', 'tsx'],
  });
  await net.waitForSubscribers(relays, 30_000);
  const count = (): Promise<number> =>
    new Promise((resolve) => {
      child.once('message', (n) => resolve(Number(n)));
      child.send('count');
    });
  const cpu0 = process.cpuUsage();
  const frames0 = net.stats().eventFrames;
  const wall0 = performance.now();
  net.resume();
  await new Promise((r) => setTimeout(r, Number(values.seconds) * 1000));
  net.pause();
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - wall0) / 1000;
  const frames = net.stats().eventFrames - frames0;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  await net.drain(60_000).catch(() => undefined);
  const received = await count();
  print(
    JSON.stringify({
      mode: values.mode,
      relays,
      wall_seconds: Number(wall.toFixed(1)),
      unique_per_s: flood ? null : Math.round(net.stats().uniqueEmitted / wall),
      frames_per_s_wall: Math.round(frames / wall),
      sim_cpu_seconds: Number(cpuSeconds.toFixed(2)),
      frames_per_cpu_second: Math.round(frames / cpuSeconds),
      consumer_received: received,
      rss_mb: Math.round(process.memoryUsage().rss / 1048576),
    }),
  );
  child.kill();
  await net.stop();
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
