import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A loopback TCP forwarder in front of a real server that a test can close and reopen, to cut it off. */
export class TcpGate {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  open = true;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<number> {
    this.server = createServer((client) => {
      if (!this.open) {
        client.destroy();
        return;
      }
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Refuses new connections and cuts the open ones. */
  close(): void {
    this.open = false;
    for (const socket of this.sockets) socket.destroy();
  }

  reopen(): void {
    this.open = true;
  }

  async stop(): Promise<void> {
    this.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
