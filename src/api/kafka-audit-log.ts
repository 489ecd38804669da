import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Lifecycle } from '../core/component.js';
import type { ApiEventV1 } from '../normalize/modtrail-api/api-event.js';
import type { Logger } from '../telemetry/logger.js';
import type { ApiAuditLog } from './request-audit.js';

/**
 * Produces each API use to the API topic (acks=all) with the modtrail-api format header, so the pipeline
 * normalizes, judges, stores and seals it like any other event. Sent after the answer: a Kafka outage delays
 * the audit trail but never blocks a read; a failed send is logged with the request id.
 */
export class KafkaApiAuditLog implements ApiAuditLog, Lifecycle {
  private readonly producer: Producer;
  private connected: Promise<void> | undefined;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    kafka: Kafka,
    private readonly topic: string,
    private readonly logger: Logger,
  ) {
    this.producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  }

  async start(): Promise<void> {
    this.connected ??= this.producer.connect();
    await this.connected;
  }

  record(event: ApiEventV1): void {
    const sent = this.start()
      .then(() =>
        this.producer.send({
          topic: this.topic,
          acks: -1,
          messages: [{ key: event.request_id, value: JSON.stringify(event), headers: { 'modtrail-format': 'modtrail-api' } }],
        }),
      )
      .then(
        () => undefined,
        (error: unknown) => this.logger.error({ err: error, requestId: event.request_id, route: event.route }, 'API audit event not written'),
      );
    this.pending.add(sent);
    void sent.finally(() => this.pending.delete(sent));
  }

  /** Waits for the events already handed over, then disconnects. */
  async stop(): Promise<void> {
    await Promise.all(this.pending);
    if (this.connected === undefined) return;
    this.connected = undefined;
    await this.producer.disconnect();
  }
}
