import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@opensearch-project/opensearch';
import type { Kafka } from 'kafkajs';
import type { Lifecycle } from '../core/component.js';
import type { AuditRecord, Decision } from '../core/record.js';
import type { Config } from '../config/schema.js';
import { loadPolicyData } from '../evaluate/opa/policy-data.js';
import type { ReloadResult } from '../evaluate/opa/policy-reloader.js';
import type { Normalize } from '../normalize/normalizer.js';
import { PageCursors } from '../store/opensearch/page-cursor.js';
import { OpenSearchAuditQuery } from '../store/opensearch/record-query.js';
import type { Logger } from '../telemetry/logger.js';
import { createApp, type ApiDeps } from './app.js';
import { createTokenVerifier } from './auth/token-verifier.js';
import { KafkaIngestProducer } from './ingest/ingest-producer.js';
import { KafkaApiAuditLog } from './kafka-audit-log.js';

/** The express app on a real listener, with the Kafka producers it writes audit events and ingested lines through. */
export class ApiServer implements Lifecycle {
  private server: Server | undefined;

  constructor(
    private readonly listener: RequestListener,
    private readonly address: { host: string; port: number },
    private readonly parts: readonly Lifecycle[],
    private readonly logger: Logger,
  ) {}

  /** The bound port, once listening (useful with port 0). */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async start(): Promise<void> {
    if (this.server) return;
    for (const part of this.parts) await part.start();
    const server = createServer(this.listener);
    // Slow or stalled clients must not hold sockets open forever.
    server.requestTimeout = 60_000;
    server.headersTimeout = 20_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.address.port, this.address.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.info({ host: this.address.host, port: this.port }, 'API listening');
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
    }
    for (const part of [...this.parts].reverse()) await part.stop();
  }
}

export interface ApiParts {
  kafka: Kafka;
  opensearch: Client;
  normalize: Normalize;
  judge(records: readonly AuditRecord[]): Promise<Decision[]>;
  reloadPolicy(): Promise<ReloadResult>;
  sealJwks(): object;
  logger: Logger;
  /** The export jobs behind /v1/exports, when the service runs exports. */
  exports?: ApiDeps['exports'];
}

/** Wires the API for `modtrail serve` from the service's own clients and policy. */
export function buildApiServer(config: Readonly<Config>, parts: ApiParts): ApiServer {
  const { api } = config;
  const auditLog = new KafkaApiAuditLog(parts.kafka, config.kafka.topics.api, parts.logger);
  const producer = new KafkaIngestProducer(parts.kafka);
  const app = createApp({
    config: api,
    verifyToken: createTokenVerifier(api.auth),
    query: new OpenSearchAuditQuery(parts.opensearch, config.opensearch.indexPrefix, new PageCursors(api.cursorSecret), api.limits.cursorKeepAlive),
    auditLog,
    logger: parts.logger,
    policy: { data: () => loadPolicyData(config.policy.dataFile), judge: parts.judge, reload: parts.reloadPolicy },
    ingest: { producer, topics: { proxy: config.kafka.topics.proxy, agent: config.kafka.topics.agent }, normalize: parts.normalize },
    sealJwks: parts.sealJwks,
    ...(parts.exports === undefined ? {} : { exports: parts.exports }),
  });
  return new ApiServer(app, { host: api.host, port: api.port }, [auditLog, producer], parts.logger);
}
