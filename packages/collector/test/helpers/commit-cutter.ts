import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy to PostgreSQL that loses the answer to a commit: in a transaction whose statements
 * name `marker` (a table only that kind of transaction writes), the `commit` goes through to the
 * server, which commits, and then both sockets are cut before the answer comes back — the client
 * cannot know whether its transaction landed. It does this `cuts` times.
 */
export class CommitCutter {
  private server: Server | undefined;
  private left: number;
  /** Commits whose answer was cut so far. */
  cut = 0;

  constructor(
    private readonly target: { host: string; port: number },
    private readonly marker: string,
    cuts: number,
  ) {
    this.left = cuts;
  }

  /** Listens on a free loopback port; resolves with it. */
  async start(): Promise<number> {
    this.server = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private pipe(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    let wrote = false;
    let dead = false;
    /** A commit was let through whose answer must not come back. */
    let cutting = false;
    const kill = () => {
      dead = true;
      client.destroy();
      upstream.destroy();
    };
    client.on('error', kill);
    upstream.on('error', kill);
    client.on('close', kill);
    upstream.on('close', kill);
    upstream.on('data', (chunk) => {
      if (cutting) kill();
      else if (!dead) client.write(chunk);
    });
    client.on('data', (chunk: Buffer) => {
      if (dead) return;
      const text = chunk.toString('latin1').toLowerCase();
      if (text.includes('begin\0')) wrote = false;
      if (text.includes(this.marker)) wrote = true;
      const commits = text.includes('commit\0');
      upstream.write(chunk);
      if (!commits) return;
      if (wrote && this.left > 0) {
        this.left -= 1;
        this.cut += 1;
        // The commit reaches the server; its answer never reaches the client.
        cutting = true;
      }
      wrote = false;
    });
  }
}
