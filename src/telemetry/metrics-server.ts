import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Lifecycle } from '../core/component.js';
import type { Metrics } from './metrics.js';

export const metricsConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    host: z.string().min(1).default('127.0.0.1'),
    /** 0 takes any free port (tests); the bound port is then read from MetricsServer.port. */
    port: z.number().int().min(0).max(65535).default(9464),
  })
  .prefault({});

export type MetricsConfig = z.infer<typeof metricsConfigSchema>;

/** Serves Prometheus text at /metrics and a liveness answer at /healthz. */
export class MetricsServer implements Lifecycle {
  private server: Server | undefined;

  constructor(
    private readonly metrics: Metrics,
    private readonly config: MetricsConfig,
  ) {}

  /** The bound port (useful when configured as an ephemeral one). */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async start(): Promise<void> {
    if (!this.config.enabled || this.server) return;
    const server = createServer((request, response) => {
      if (request.url === '/metrics') {
        this.metrics.registry.metrics().then(
          (text) => response.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(text),
          () => response.writeHead(500).end(),
        );
      } else if (request.url === '/healthz') {
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      } else {
        response.writeHead(404).end();
      }
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.port, this.config.host, () => resolve());
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
