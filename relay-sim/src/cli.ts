#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { CliUsageError, parseCliArgs, USAGE } from './cli-args.js';
import { loadOrGenerateCorpus, savedLnurlPort, saveLnurlPort } from './corpus-cache.js';
import { serveIpc } from './ipc-server.js';
import { startSimNetwork } from './sim-network.js';

// A command-line tool: it reports on stdout/stderr directly (no logger configuration to honour).
function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  let cli: ReturnType<typeof parseCliArgs>;
  try {
    cli = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof CliUsageError) {
      process.stderr.write(`${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw err;
  }
  if (cli.help) {
    process.stdout.write(USAGE);
    return;
  }
  const options = { ...cli.network };
  const cache = cli.corpusCache;
  if (cache) {
    options.loadCorpus = (o) => loadOrGenerateCorpus(cache, o);
    options.lnurlPort = savedLnurlPort(cache);
  }
  const net = await startSimNetwork(options);
  if (cache) saveLnurlPort(cache, net.lnurl.domain);
  if (cli.portFile) writeFileSync(cli.portFile, `${net.urls.join('\n')}\n`);
  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await net.stop();
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  if (cli.ipc && process.send) serveIpc(net, () => stop(0));
  else for (const url of net.urls) out(url);
  if (cli.statsEverySeconds > 0) {
    let last = net.stats();
    let lastAt = performance.now();
    setInterval(() => {
      const now = net.stats();
      const t = performance.now();
      const secs = (t - lastAt) / 1000;
      process.stderr.write(
        `${JSON.stringify({
          unique_per_s: Math.round((now.uniqueEmitted - last.uniqueEmitted) / secs),
          frames_per_s: Math.round((now.eventFrames - last.eventFrames) / secs),
          connections: now.connections,
          live_subscriptions: now.liveSubscriptions,
          buffered_bytes: now.bufferedBytes,
          rss_mb: Math.round(process.memoryUsage().rss / 1048576),
        })}\n`,
      );
      last = now;
      lastAt = t;
    }, cli.statsEverySeconds * 1000).unref();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `relay-sim failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  if (process.send) process.send({ type: 'failed', error: String(err) });
  process.exit(1);
});
