import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RelayAvailability } from './relay-availability.js';

/**
 * A simulated relay's listening port: opened once, and closable and reopenable on the same port to
 * take the relay off the network and back, with the truth of when (`availability`).
 */
export class RelayListener {
  readonly availability = new RelayAvailability();
  private host = '';
  private port = 0;

  constructor(private readonly server: Server) {}

  /** True while the port listens (not taken down). */
  get up(): boolean {
    return this.availability.up;
  }

  /** Starts listening; resolves to the port. */
  async listen(host: string, port: number): Promise<number> {
    await this.open(host, port);
    this.host = host;
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  /** Stops listening and cuts the open HTTP connections; recorded as down from now. */
  async takeDown(): Promise<void> {
    if (!this.up) return;
    this.availability.down(Date.now());
    await this.shut();
  }

  /** Listens again on the same port; recorded as up once it does. */
  async bringUp(): Promise<void> {
    if (this.up) return;
    await this.open(this.host, this.port);
    this.availability.restored(Date.now());
  }

  /** Closes the port for good (nothing to do when it is down). */
  async close(): Promise<void> {
    if (this.up) await this.shut();
  }

  private open(host: string, port: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  private async shut(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
